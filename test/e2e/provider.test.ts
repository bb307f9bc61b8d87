/**
 * Provider services through the built `orc`: a fake provider on the daemon's PATH is run with compose's
 * arguments on up (before its dependents start) and on down; a provider that is not installed fails its
 * service and its dependents alone, never the load, and the daemon does not start those dependents later.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('provider services on the real engine', () => {
  const o: OrcEnv = orcEnv('provider');
  const projects: string[] = [];
  const dir = join(o.dir, 'app');
  const bin = join(o.dir, 'bin');
  const calls = join(o.dir, 'calls');

  beforeAll(() => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    mkdirSync(bin, { recursive: true });
    // Speaks compose's provider protocol: JSON lines on stdout; records how it was called.
    writeFileSync(
      join(bin, 'fakecloud'),
      [
        '#!/bin/sh',
        `echo "$@" >> ${calls}`,
        `echo '{"type":"info","message":"provisioning"}'`,
        `echo '{"type":"setenv","message":"URL=mysql://user:s3cret@db"}'`,
        'case "$*" in *--fail=yes*) echo \'{"type":"error","message":"quota exceeded"}\'; exit 1;; esac',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'fakecloud'), 0o755);
    // The daemon the CLI starts inherits this PATH: that is where providers are looked for.
    o.env.PATH = `${bin}:${o.env.PATH ?? ''}`;
  });

  afterAll(async () => {
    await stopDaemon(o);
    for (const p of projects) await removeProject(p);
  });

  const compose = (fail = 'no') => `services:
  database:
    provider:
      type: fakecloud
      options: {type: mysql, fail: "${fail}"}
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    depends_on: [database]
  lost:
    provider: {type: nosuchcloud}
  needy:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    depends_on: [lost]
  solo:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
`;

  it('runs the provider on up and down; a missing provider fails only its service and dependents', async () => {
    const p = uniqueProject('prov');
    projects.push(p);
    writeFileSync(join(dir, 'compose.yaml'), compose());

    const config = await orc(o, ['-p', p, 'config'], { cwd: dir });
    expect(config.code, explain(config)).toBe(0);
    expect(config.stdout).toContain('type: nosuchcloud');

    const up = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(1);
    expect(up.stderr).toContain('service lost: provider "nosuchcloud" is not available');
    expect(up.stderr).toContain('not started because of this: needy');
    expect(up.stderr).toContain('provisioning');
    expect(up.stderr).toContain('sets URL');
    expect(up.stderr).not.toContain('s3cret');
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      `compose --project-name ${p} up --fail=no --type=mysql database`,
    ]);
    const state = async (svc: string) => docker('inspect', '-f', '{{.State.Status}}', `${p}-${svc}-1`);
    expect(await state('app')).toBe('running');
    expect(await state('solo')).toBe('running');
    expect(await state('needy')).toBe('created');
    // The daemon's own passes do not start it behind the user's back.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await state('needy')).toBe('created');

    const down = await orc(o, ['-p', p, 'down'], { cwd: dir });
    expect(down.code, explain(down)).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n').at(-1)).toBe(
      `compose --project-name ${p} down --fail=no --type=mysql database`,
    );
  });

  it('an error message from the provider fails its dependents with that message', async () => {
    const p = uniqueProject('provfail');
    projects.push(p);
    writeFileSync(join(dir, 'compose.yaml'), compose('yes'));
    const up = await orc(o, ['-p', p, 'up', '-d', 'app'], { cwd: dir });
    expect(up.code, explain(up)).toBe(1);
    expect(up.stderr).toContain(
      'service database: provider "fakecloud" up failed (exit code 1): quota exceeded',
    );
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${p}-app-1`)).toBe('created');
  });
});
