import { describe, expect, it } from 'vitest';
import { desiredState } from '../desired/desired-state.js';
import { expectErrors, expectOk, loadText, tempProject } from '../load/temp-project.js';
import { Labels } from '../model/labels.js';
import { renderConfig } from '../render/render-config.js';

const file = (hooks: string) => `services:
  web:
    image: busybox
    environment: {A: "1"}
${hooks}
`;

describe('lifecycle hooks: pre_start, post_start, pre_stop', () => {
  it('loads all three: command strings split as shell words, environment with KEY alone from the client', async () => {
    const p = expectOk(
      await loadText(
        file(`    pre_start:
      - command: sh -c 'echo one'
        environment: [FROM_CLIENT, B=2]
      - image: other:1
        entrypoint: /bin/sh -c
        command: ["true"]
        user: "0"
        working_dir: /srv
        privileged: true
    post_start:
      - command: echo up
    pre_stop:
      - command: [echo, down]
        user: root`),
        { env: { FROM_CLIENT: 'c' } },
      ),
    );
    const web = p.services.web!;
    expect(web.pre_start).toEqual([
      { command: ['sh', '-c', 'echo one'], environment: { FROM_CLIENT: 'c', B: '2' } },
      {
        command: ['true'],
        entrypoint: ['/bin/sh', '-c'],
        image: 'other:1',
        user: '0',
        working_dir: '/srv',
        privileged: true,
      },
    ]);
    expect(web.post_start).toEqual([{ command: ['echo', 'up'] }]);
    expect(web.pre_stop).toEqual([{ command: ['echo', 'down'], user: 'root' }]);
    expect(renderConfig(p)).toContain('pre_start:\n      - command:');
  });

  it('refuses a hook without a command (post_start, pre_stop) and unknown hook keys, with the location', async () => {
    const missing = expectErrors(await loadText(file('    post_start:\n      - user: root')));
    expect(missing[0]?.message).toMatch(/command/);
    expect(missing[0]?.line).toBe(6);
    const unknown = expectErrors(
      await loadText(file('    pre_start:\n      - command: "true"\n        imgae: x')),
    );
    expect(unknown[0]?.message).toMatch(/imgae/);
    expect(unknown[0]?.hint ?? '').toMatch(/image/);
  });

  it('reports an unclosed quote in a hook command where it is', async () => {
    const errs = expectErrors(await loadText(file(`    pre_stop:\n      - command: "sh -c 'echo"`)));
    expect(errs[0]?.message).toMatch(/unclosed quote/);
    expect(errs[0]?.line).toBe(6);
  });

  it('desired state: init steps shaped after the first replica, exec hooks with their own environment only', async () => {
    const p = expectOk(
      await loadText(
        file(`    ports: ["8080:80"]
    networks: {default: {aliases: [www]}}
    pre_start:
      - command: ["true"]
        environment: {A: "2"}
    post_start:
      - command: echo up
        environment: {B: "3"}`),
      ),
    );
    const web = desiredState(p).services[0]!;
    const step = web.hooks?.pre_start[0];
    expect(step?.name).toBe(`${p.name}-web-1-pre_start-1`);
    expect(step?.create.Env).toEqual(['A=2']);
    expect(step?.create.HostConfig.PortBindings).toBeUndefined();
    expect(step?.endpoints[0]?.aliases).toEqual([]);
    expect(step?.create.Labels[Labels.orcPreStart]).toBe(web.hooks?.pre_start_hash);
    expect(web.containers[0]?.create.Labels[Labels.orcPreStart]).toBe(web.hooks?.pre_start_hash);
    expect(web.hooks?.post_start).toEqual([{ index: 1, Cmd: ['echo', 'up'], Env: ['B=3'] }]);
    expect(web.hooks?.pre_stop).toEqual([]);
  });

  it('a change to the steps changes the hash (and the service hash); a change elsewhere keeps the steps hash', async () => {
    const load = async (cmd: string, env: string) =>
      desiredState(
        expectOk(
          await loadText(
            `services:\n  web:\n    image: busybox\n    environment: {E: "${env}"}\n    pre_start:\n      - command: ${cmd}\n`,
          ),
        ),
      ).services[0]!;
    const a = await load('"true"', '1');
    const b = await load('"false"', '1');
    const c = await load('"true"', '2');
    expect(a.hooks?.pre_start_hash).not.toBe(b.hooks?.pre_start_hash);
    expect(a.hash).not.toBe(b.hash);
    expect(a.hooks?.pre_start_hash).toBe(c.hooks?.pre_start_hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it('a service without hooks has none in its desired state and no pre-start label', async () => {
    const web = desiredState(expectOk(await loadText(file('')))).services[0]!;
    expect(web.hooks).toBeUndefined();
    expect(web.containers[0]?.create.Labels[Labels.orcPreStart]).toBeUndefined();
  });

  it('a step completes the service: volumes by target (rw over ro), extra_hosts and env_file by key; per_replica warned', async () => {
    const t = tempProject({ 'step.env': 'C=3\nB=from-file\n' });
    const p = expectOk(
      await loadText(
        `services:
  web:
    image: busybox
    environment: {A: "1", B: "1"}
    extra_hosts: ["db=10.0.0.1", "cache=10.0.0.2"]
    volumes: ["data:/data:ro", "conf:/conf:ro"]
    pre_start:
      - command: ["true"]
        env_file: step.env
        environment: {B: "2"}
        extra_hosts: ["db=10.0.0.9"]
        volumes: ["data:/data"]
        per_replica: true
volumes: {data: {}, conf: {}}
`,
        { workingDir: t.dir },
      ),
    );
    t.remove();
    const step = desiredState(p).services[0]?.hooks?.pre_start[0];
    expect(step?.create.Env).toEqual(['A=1', 'B=2', 'C=3']);
    const mounts = JSON.stringify(step?.create.HostConfig);
    expect(mounts).toMatch(/"Target":"\/data"(?![^}]*"ReadOnly":true)/);
    expect(mounts).toMatch(/"Target":"\/conf"[^}]*"ReadOnly":true/);
    expect(step?.create.HostConfig.ExtraHosts?.sort()).toEqual(['cache:10.0.0.2', 'db:10.0.0.9']);
    const warned = await loadText(
      'services:\n  web:\n    image: busybox\n    pre_start:\n      - command: ["true"]\n        per_replica: true\n',
    );
    expect(warned.warnings.map((w) => w.message).join()).toContain('per_replica');
  });
});
