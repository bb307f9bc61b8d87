import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPOSE_COMPAT_VERSION } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { daemonEnv } from './client/autostart.js';
import { BACKUP_SUFFIX, installAt, uninstallAt, wrapperScript } from './commands/plugin.js';
import { envTrue } from './globals.js';
import { dockerEnv, pluginMetadata, readContextHost, readInvocation } from './plugin.js';
import { composeVersion } from './version.js';

const viaDocker = {
  ORC_INVOKED_AS: 'docker-compose',
  DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND: '/usr/bin/docker',
};

describe('invoked as the docker CLI’s compose plugin', () => {
  it('takes the docker CLI’s global flags and the `compose` word out', () => {
    const inv = readInvocation(
      [
        'node',
        'orc',
        '--context',
        'lab',
        '-H=unix:///x.sock',
        '--config',
        '/cfg',
        '-D',
        'compose',
        'up',
        '-d',
        'web',
      ],
      viaDocker,
    );
    expect(inv.argv).toEqual(['node', 'orc', 'up', '-d', 'web']);
    expect(inv.asCompose).toBe(true);
    expect(inv.docker).toEqual({ context: 'lab', host: 'unix:///x.sock', config: '/cfg' });
    // Flags after `compose` are ours, even ones the docker CLI also has (-H is not compose's, -f is).
    expect(readInvocation(['node', 'orc', 'compose', '-f', 'a.yaml', 'ps'], viaDocker).argv).toEqual([
      'node',
      'orc',
      '-f',
      'a.yaml',
      'ps',
    ]);
  });

  it('under the v1 name, or without the docker CLI’s mark, the arguments are orc’s as they are', () => {
    const argv = ['node', 'orc', 'up', '-d'];
    expect(readInvocation(argv, { ORC_INVOKED_AS: 'docker-compose' })).toEqual({
      argv,
      asCompose: true,
      docker: {},
    });
    expect(readInvocation(argv, {})).toEqual({ argv, asCompose: false, docker: {} });
    // The docker CLI's mark inherited by a process that is not a plugin call (no `compose` word).
    expect(readInvocation(['node', 'orc', 'daemon', '--log-file', 'x'], viaDocker).argv).toEqual([
      'node',
      'orc',
      'daemon',
      '--log-file',
      'x',
    ]);
  });

  it('answers the metadata the docker CLI lists plugins with, as compose’s version', () => {
    const meta = JSON.parse(pluginMetadata());
    expect(meta.SchemaVersion).toBe('0.1.0');
    expect(meta.Version).toMatch(/^v2\.\d+\.\d+-orc\./);
    expect(meta.ShortDescription).toContain('orc');
    // The CLI's copy of the compose version it claims is the spec's (labels say the same).
    expect(composeVersion).toBe(COMPOSE_COMPAT_VERSION);
  });

  it('points an autostarted daemon at the engine the docker CLI was pointed at', () => {
    const cfg = mkdtempSync(join(tmpdir(), 'orc-ctx-'));
    const id = createHash('sha256').update('lab').digest('hex');
    mkdirSync(join(cfg, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      join(cfg, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: 'lab', Endpoints: { docker: { Host: 'unix:///lab.sock' } } }),
    );
    expect(readContextHost('lab', cfg)).toBe('unix:///lab.sock');
    const fromContext = dockerEnv({ context: 'lab', config: cfg }, { HOME: '/h' }, readContextHost);
    expect(fromContext).toMatchObject({ DOCKER_HOST: 'unix:///lab.sock', DOCKER_CONFIG: cfg });
    expect(dockerEnv({ host: 'tcp://1.2.3.4:2375', context: 'lab' }, {}, readContextHost)).toMatchObject({
      DOCKER_HOST: 'tcp://1.2.3.4:2375',
    });
    expect(
      dockerEnv({}, { DOCKER_CONTEXT: 'default', DOCKER_HOST: 'unix:///d.sock' }, readContextHost),
    ).toMatchObject({
      DOCKER_HOST: 'unix:///d.sock',
    });
    const missing = dockerEnv({ context: 'nope', config: cfg }, {}, readContextHost);
    expect('error' in missing && missing.error).toContain('docker context "nope" was not found');
  });

  it('the daemon it starts does not inherit the stand-in marks; COMPOSE_PARALLEL_LIMIT becomes its bound', () => {
    const env = daemonEnv(
      { ...viaDocker, ORC_AS_COMPOSE: '1', COMPOSE_PARALLEL_LIMIT: '2', PATH: '/bin' },
      'unix:///s',
      '/st',
    );
    expect(env).toEqual({
      PATH: '/bin',
      COMPOSE_PARALLEL_LIMIT: '2',
      ORC_PARALLELISM: '2',
      ORC_HOST: 'unix:///s',
      ORC_STATE_DIR: '/st',
    });
    expect(envTrue('1')).toBe(true);
    expect(envTrue('false')).toBe(false);
    expect(envTrue(undefined)).toBe(false);
  });
});

describe('install-plugin / uninstall-plugin', () => {
  const script = wrapperScript('/usr/bin/node', '/opt/orc/dist/orc.js');

  it('installs, keeps what was there, restores it on uninstall, and never removes another’s file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-plugin-'));
    const target = join(dir, 'cli-plugins', 'docker-compose');
    expect(installAt(target, script)).toBe(`installed ${target}`);
    expect(readFileSync(target, 'utf8')).toContain(
      "ORC_INVOKED_AS=docker-compose exec '/usr/bin/node' '/opt/orc/dist/orc.js'",
    );
    expect(installAt(target, script)).toBe(`updated ${target}`);
    expect(uninstallAt(target)).toBe(`removed ${target}`);
    expect(existsSync(target)).toBe(false);

    writeFileSync(target, '#!/bin/sh\necho real compose\n');
    expect(installAt(target, script)).toContain(`kept as ${target}${BACKUP_SUFFIX}`);
    expect(readFileSync(`${target}${BACKUP_SUFFIX}`, 'utf8')).toContain('real compose');
    expect(uninstallAt(target)).toContain('put back what was there before');
    expect(readFileSync(target, 'utf8')).toContain('real compose');
    expect(() => uninstallAt(target)).toThrow(/not installed by orc/);
    expect(readFileSync(target, 'utf8')).toContain('real compose');
  });

  it('refuses when an earlier backup is in the way instead of losing either file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-plugin-'));
    const target = join(dir, 'docker-compose');
    writeFileSync(target, 'real');
    writeFileSync(`${target}${BACKUP_SUFFIX}`, 'older');
    expect(() => installAt(target, script)).toThrow(/in the way/);
    expect(readFileSync(target, 'utf8')).toBe('real');
  });
});
