import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../plan/types.js';
import { findProvider, providerArgs } from './provider.js';

type Op = Extract<Operation, { kind: 'run-provider' }>;

function script(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('finding a provider', () => {
  it('takes an executable on PATH first, then a docker CLI plugin docker-<type>', () => {
    const root = mkdtempSync(join(tmpdir(), 'orc-provider-'));
    const bin = join(root, 'bin');
    const config = join(root, 'docker');
    const plugin = script(join(config, 'cli-plugins'), 'docker-fakecloud');
    expect(findProvider('fakecloud', { PATH: bin, DOCKER_CONFIG: config })).toEqual({ path: plugin });
    const onPath = script(bin, 'fakecloud');
    expect(findProvider('fakecloud', { PATH: bin, DOCKER_CONFIG: config })).toEqual({ path: onPath });
  });

  it('says where it looked when there is none, and never takes a path for a name', () => {
    const root = mkdtempSync(join(tmpdir(), 'orc-provider-'));
    const r = findProvider('nosuchcloud', { PATH: join(root, 'bin'), DOCKER_CONFIG: root });
    expect('searched' in r && r.searched).toContain(join(root, 'bin', 'nosuchcloud'));
    expect('searched' in r && r.searched).toContain(join(root, 'cli-plugins', 'docker-nosuchcloud'));
    script(join(root, 'bin'), 'x');
    expect(findProvider('../bin/x', { PATH: join(root, 'bin') })).toEqual({ searched: [] });
  });

  it('passes options as sorted --key=value flags, lists repeated, then the service', () => {
    const op: Op = {
      kind: 'run-provider',
      id: 'run-provider:up:db',
      after: [],
      cause: '',
      service: 'db',
      name: 'db',
      command: 'up',
      provider: { type: 'fakecloud', options: { type: 'mysql', flag: ['a', 'b'] } },
    };
    expect(providerArgs(op, 'demo')).toEqual([
      'compose',
      '--project-name',
      'demo',
      'up',
      '--flag=a',
      '--flag=b',
      '--type=mysql',
      'db',
    ]);
  });
});
