import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isImageError } from '../contract/image-errors.js';
import { dockerConfigPath, readDockerConfig, resolveAllAuths, resolveRegistryAuth } from './auth.js';

let dir: string;
let bin: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-auth-'));
  bin = join(dir, 'bin');
  await mkdir(bin);
  // A credential helper speaking the docker-credential protocol: server URL on stdin, JSON on stdout.
  await writeFile(
    join(bin, 'docker-credential-fake'),
    [
      '#!/bin/sh',
      'read server',
      'case "$server" in',
      '  helped.example) echo \'{"ServerURL":"helped.example","Username":"hu","Secret":"hs"}\' ;;',
      '  token.example) echo \'{"ServerURL":"token.example","Username":"<token>","Secret":"tok"}\' ;;',
      '  broken.example) echo boom >&2; exit 3 ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  await chmod(join(bin, 'docker-credential-fake'), 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configWith(content: unknown): Promise<Record<string, string>> {
  const cfg = await mkdtemp(join(dir, 'cfg-'));
  await writeFile(join(cfg, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return { DOCKER_CONFIG: cfg };
}

describe('docker config location', () => {
  it('prefers DOCKER_CONFIG, then HOME/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/c', HOME: '/h' })).toBe('/c/config.json');
    expect(dockerConfigPath({ HOME: '/h' })).toBe('/h/.docker/config.json');
    expect(dockerConfigPath({})).toBeUndefined();
  });

  it('an absent file means anonymous; a broken one names the file, not its content', async () => {
    expect(await readDockerConfig({ DOCKER_CONFIG: join(dir, 'nowhere') })).toBeUndefined();
    const env = await configWith('{"auths": {"x": {"auth": "c2VjcmV0LXZhbHVl"}');
    try {
      await readDockerConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'REGISTRY_AUTH')).toBe(true);
      expect((err as Error).message).toContain(env.DOCKER_CONFIG);
      expect((err as Error).message).not.toContain('c2VjcmV0LXZhbHVl');
    }
  });
});

describe('resolveRegistryAuth', () => {
  it('decodes auths entries, matching keys written with scheme and path', async () => {
    const config = await readDockerConfig(
      await configWith({
        auths: {
          'http://127.0.0.1:5000/v2/': { auth: b64('alice:pa:ss') },
          'https://index.docker.io/v1/': { auth: b64('hub:hubpass') },
          'id.example': { identitytoken: 'idtok' },
        },
      }),
    );
    const opts = { env: {}, helperPath: bin };
    expect(await resolveRegistryAuth('127.0.0.1:5000', config, opts)).toEqual({
      serveraddress: '127.0.0.1:5000',
      username: 'alice',
      password: 'pa:ss',
    });
    expect(await resolveRegistryAuth('docker.io', config, opts)).toEqual({
      serveraddress: 'https://index.docker.io/v1/',
      username: 'hub',
      password: 'hubpass',
    });
    expect(await resolveRegistryAuth('id.example', config, opts)).toEqual({
      serveraddress: 'id.example',
      identitytoken: 'idtok',
    });
    expect(await resolveRegistryAuth('other.example', config, opts)).toBeUndefined();
  });

  it('asks credHelpers and credsStore, with identity tokens, and falls back to auths', async () => {
    const config = await readDockerConfig(
      await configWith({
        credsStore: 'fake',
        credHelpers: { 'token.example': 'fake' },
        auths: { 'plain.example': { auth: b64('p:q') } },
      }),
    );
    const opts = { env: {}, helperPath: bin };
    expect(await resolveRegistryAuth('helped.example', config, opts)).toEqual({
      serveraddress: 'helped.example',
      username: 'hu',
      password: 'hs',
    });
    expect(await resolveRegistryAuth('token.example', config, opts)).toEqual({
      serveraddress: 'token.example',
      identitytoken: 'tok',
    });
    // The store has nothing for it: auths still count.
    expect(await resolveRegistryAuth('plain.example', config, opts)).toEqual({
      serveraddress: 'plain.example',
      username: 'p',
      password: 'q',
    });
  });

  it('a failing helper is an error naming the helper and registry; a missing one falls back with a warning', async () => {
    const failing = await readDockerConfig(await configWith({ credsStore: 'fake' }));
    try {
      await resolveRegistryAuth('broken.example', failing, { env: {}, helperPath: bin });
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'CREDENTIAL_HELPER')).toBe(true);
      expect((err as Error).message).toContain('docker-credential-fake');
      expect((err as Error).message).toContain('broken.example');
    }
    const warnings: string[] = [];
    const absent = await readDockerConfig(
      await configWith({ credsStore: 'desktop', auths: { 'a.example': { auth: b64('u:secret') } } }),
    );
    const got = await resolveRegistryAuth('a.example', absent, {
      env: {},
      helperPath: bin,
      warn: (m) => warnings.push(m),
    });
    expect(got).toMatchObject({ username: 'u' });
    expect(warnings.join('\n')).toContain('docker-credential-desktop is not installed');
    expect(warnings.join('\n')).not.toContain('secret');
  });

  it('refuses helper names that are paths', async () => {
    const config = await readDockerConfig(await configWith({ credsStore: '../../bin/sh' }));
    await expect(
      resolveRegistryAuth('x.example', config, { env: {}, helperPath: bin }),
    ).rejects.toMatchObject({
      code: 'CREDENTIAL_HELPER',
    });
  });

  it('resolves every known registry for a build', async () => {
    const config = await readDockerConfig(
      await configWith({
        credHelpers: { 'helped.example': 'fake' },
        auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } },
      }),
    );
    const all = await resolveAllAuths(config, { env: {}, helperPath: bin });
    expect(Object.keys(all).sort()).toEqual(['helped.example', 'https://index.docker.io/v1/']);
  });
});
