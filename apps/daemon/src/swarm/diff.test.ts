import type { SwarmServiceSpec } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { composeField, composeFields, specDiff } from './diff.js';

const base: SwarmServiceSpec = {
  Name: 'demo_web',
  Labels: { 'com.docker.stack.namespace': 'demo', 'dev.orc.config-hash': 'h1', 'dev.orc.version': '0.1.0' },
  TaskTemplate: {
    ContainerSpec: {
      Image: 'web:1',
      Env: ['A=1', 'B=2'],
      Secrets: [{ File: { Name: 's', UID: '0', GID: '0', Mode: 292 }, SecretID: '', SecretName: 'demo_s_1' }],
    },
    Networks: [{ Target: 'demo_default', Aliases: ['web'] }],
    RestartPolicy: { Condition: 'any', MaxAttempts: 0 },
  },
  Mode: { Replicated: { Replicas: 2 } },
};

const edit = (f: (s: SwarmServiceSpec) => void): SwarmServiceSpec => {
  const copy = structuredClone(base);
  f(copy);
  return copy;
};

describe('specDiff', () => {
  const CASES: Array<{ what: string; observed: SwarmServiceSpec; want: string[] }> = [
    { what: 'the same spec', observed: base, want: [] },
    {
      what: 'engine additions: ids, digest, defaults, ForceUpdate, version and hash labels',
      observed: edit((s) => {
        s.Labels['dev.orc.config-hash'] = 'other';
        s.Labels['dev.orc.version'] = '9';
        s.TaskTemplate.ContainerSpec.Image = 'web:1@sha256:abc';
        s.TaskTemplate.ContainerSpec.Isolation = 'default';
        (s.TaskTemplate.ContainerSpec.Secrets ?? [])[0]!.SecretID = 'sid';
        s.TaskTemplate.Networks = [{ Target: 'nid', Aliases: ['web'] }];
        s.TaskTemplate.ForceUpdate = 3;
        s.EndpointSpec = { Mode: 'vip' };
      }),
      want: [],
    },
    {
      what: 'an environment variable changed, one added',
      observed: edit((s) => {
        s.TaskTemplate.ContainerSpec.Env = ['A=0', 'B=2', 'C=3'];
      }),
      want: ['ContainerSpec.Env.A', 'ContainerSpec.Env.C'],
    },
    {
      what: 'scaled by hand',
      observed: edit((s) => {
        s.Mode = { Replicated: { Replicas: 5 } };
      }),
      want: ['Mode.Replicated.Replicas'],
    },
    {
      what: 'another image (not a digest of the same)',
      observed: edit((s) => {
        s.TaskTemplate.ContainerSpec.Image = 'web:2@sha256:abc';
      }),
      want: ['ContainerSpec.Image'],
    },
    {
      what: 'a network alias removed',
      observed: edit((s) => {
        s.TaskTemplate.Networks = [{ Target: 'nid', Aliases: [] }];
      }),
      want: ['Networks'],
    },
    {
      what: 'a restart policy field',
      observed: edit((s) => {
        s.TaskTemplate.RestartPolicy = { Condition: 'none' };
      }),
      want: ['RestartPolicy.Condition'],
    },
    {
      what: 'a label removed by hand',
      observed: edit((s) => {
        s.Labels = {};
      }),
      want: ['Labels.com.docker.stack.namespace'],
    },
  ];
  for (const c of CASES) {
    it(c.what, () => {
      expect(specDiff(base, c.observed, [{ id: 'nid', name: 'demo_default', labels: {} }])).toEqual(c.want);
    });
  }
});

describe('composeField: a spec path as the compose key behind it', () => {
  const CASES: Array<[string, string]> = [
    ['ContainerSpec.Env.GREETING', 'environment.GREETING'],
    ['ContainerSpec.Args', 'command'],
    ['ContainerSpec.Command', 'entrypoint'],
    ['ContainerSpec.HealthCheck.Interval', 'healthcheck'],
    ['Mode.Replicated.Replicas', 'deploy.replicas'],
    ['Mode.Global', 'deploy.mode'],
    ['Placement.Platforms', 'platform'],
    ['Placement.Constraints', 'deploy.placement'],
    ['EndpointSpec.Ports', 'ports'],
    ['Labels.com.docker.stack.image', 'image'],
    ['Labels.team', 'deploy.labels.team'],
    ['Something.Else', 'Something.Else'],
  ];
  for (const [path, key] of CASES) it(`${path} → ${key}`, () => expect(composeField(path)).toBe(key));

  it('names each compose key once', () => {
    expect(
      composeFields(['ContainerSpec.Image', 'Labels.com.docker.stack.image', 'ContainerSpec.Env.A']),
    ).toEqual(['image', 'environment.A']);
  });
});
