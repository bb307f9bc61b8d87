import { describe, expect, it } from 'vitest';
import { parseSettings, type SettingsEnvironment, SettingsError } from './settings.js';

function sys(env: NodeJS.ProcessEnv, files: Record<string, { text: string; mode: number }> = {}, uid = 1000) {
  const system: SettingsEnvironment = {
    env,
    uid,
    readFile: (p) => {
      const f = files[p];
      if (!f) throw new Error(`ENOENT: ${p}`);
      return f.text;
    },
    fileMode: (p) => {
      const f = files[p];
      if (!f) throw new Error(`ENOENT: ${p}`);
      return 0o100000 | f.mode;
    },
  };
  return system;
}

function settings(argv: string[], system: SettingsEnvironment) {
  const s = parseSettings(argv, system);
  if (s === 'help') throw new Error('unexpected help');
  return s;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err.code;
    throw err;
  }
  return undefined;
}

describe('daemon settings', () => {
  it('defaults to the runtime-dir socket for a user and /run/orc for root', () => {
    const user = settings([], sys({ XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/u' }));
    expect(user.listen).toEqual({ kind: 'unix', path: '/run/user/1000/orc/orc.sock' });
    expect(user.stateDir).toBe('/home/u/.local/state/orc');
    const root = settings([], sys({}, {}, 0));
    expect(root.listen).toEqual({ kind: 'unix', path: '/run/orc/orc.sock' });
    expect(root.stateDir).toBe('/var/lib/orc');
  });

  it('lets flags win over the environment', () => {
    const s = settings(
      [
        '--host',
        'unix:///tmp/a.sock',
        '--state-dir',
        '/tmp/state',
        '--log-level',
        'debug',
        '--parallelism',
        '2',
      ],
      sys({ ORC_HOST: 'unix:///tmp/b.sock', ORC_STATE_DIR: '/tmp/other', ORC_LOG_LEVEL: 'warn' }),
    );
    expect(s.listen).toEqual({ kind: 'unix', path: '/tmp/a.sock' });
    expect(s.stateDir).toBe('/tmp/state');
    expect(s.logLevel).toBe('debug');
    expect(s.parallelism).toBe(2);
  });

  it('takes `auto` as the parallelism (a bound that follows the engine), and refuses other words', () => {
    expect(settings(['--parallelism', 'auto'], sys({})).parallelism).toBe('auto');
    expect(settings([], sys({ ORC_PARALLELISM: 'auto' })).parallelism).toBe('auto');
    expect(() => settings(['--parallelism', 'fast'], sys({}))).toThrow(/positive integer/);
  });

  it('reads ORC_HOST, ORC_STATE_DIR, DOCKER_HOST and container log defaults', () => {
    const s = settings(
      ['--log-driver', 'json-file', '--log-opt', 'max-size=5m', '--log-opt', 'max-file=2'],
      sys({ ORC_HOST: 'unix:///tmp/c.sock', ORC_STATE_DIR: '/tmp/s', DOCKER_HOST: 'tcp://10.0.0.1:2375' }),
    );
    expect(s.listen).toEqual({ kind: 'unix', path: '/tmp/c.sock' });
    expect(s.dockerHost).toBe('tcp://10.0.0.1:2375');
    expect(s.containerLogDriver).toBe('json-file');
    expect(s.containerLogOptions).toEqual({ 'max-size': '5m', 'max-file': '2' });
  });

  it('refuses TCP without a token, and a non-loopback bind without --allow-remote', () => {
    expect(code(() => parseSettings([], sys({ ORC_HOST: 'tcp://127.0.0.1:7323' })))).toBe('TOKEN_REQUIRED');
    const withToken = settings([], sys({ ORC_HOST: 'tcp://127.0.0.1:7323', ORC_TOKEN: 'abc' }));
    expect(withToken.listen).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 7323 });
    expect(withToken.token).toBe('abc');
    expect(code(() => parseSettings([], sys({ ORC_HOST: 'tcp://0.0.0.0:7323', ORC_TOKEN: 'abc' })))).toBe(
      'REMOTE_BIND',
    );
    expect(
      settings(['--allow-remote'], sys({ ORC_HOST: 'tcp://0.0.0.0:7323', ORC_TOKEN: 'a' })).allowRemote,
    ).toBe(true);
  });

  it('takes the token from a 0600 file and refuses a file others can read', () => {
    const env = { ORC_HOST: 'tcp://127.0.0.1:7323' };
    const ok = settings(['--token-file', '/t'], sys(env, { '/t': { text: 'tok\n', mode: 0o600 } }));
    expect(ok.token).toBe('tok');
    expect(
      code(() => parseSettings(['--token-file', '/t'], sys(env, { '/t': { text: 'tok', mode: 0o644 } }))),
    ).toBe('TOKEN_FILE');
    expect(code(() => parseSettings(['--token-file', '/none'], sys(env)))).toBe('TOKEN_FILE');
  });

  it('explains bad hosts, levels and unknown flags', () => {
    expect(code(() => parseSettings(['--host', 'http://x'], sys({})))).toBe('INVALID_HOST');
    expect(code(() => parseSettings(['--host', 'unix://relative.sock'], sys({})))).toBe('INVALID_HOST');
    expect(code(() => parseSettings(['--host', 'tcp://127.0.0.1'], sys({ ORC_TOKEN: 'a' })))).toBe(
      'INVALID_HOST',
    );
    expect(code(() => parseSettings(['--log-level', 'loud'], sys({})))).toBe('INVALID_FLAG');
    expect(code(() => parseSettings(['--frobnicate'], sys({})))).toBe('INVALID_FLAG');
    expect(parseSettings(['--help'], sys({}))).toBe('help');
  });
});

describe('daemon settings: the browser page (--ui)', () => {
  const token = { ORC_TOKEN: 'secret-token-1234', HOME: '/home/u' };
  it('is off by default', () => {
    const s = settings([], sys(token));
    expect(s.ui).toBe(false);
    expect(s.uiListen).toBeUndefined();
  });
  it('--ui-listen adds a TCP listener beside the socket, ORC_UI/ORC_UI_LISTEN likewise', () => {
    const flags = settings(['--ui', '--ui-listen', 'tcp://127.0.0.1:7400'], sys(token));
    expect(flags.ui).toBe(true);
    expect(flags.listen.kind).toBe('unix');
    expect(flags.uiListen).toEqual({ host: '127.0.0.1', port: 7400 });
    const env = settings([], sys({ ...token, ORC_UI: '1', ORC_UI_LISTEN: 'tcp://localhost:7401' }));
    expect(env.ui).toBe(true);
    expect(env.uiListen).toEqual({ host: 'localhost', port: 7401 });
  });
  it('--ui on a tcp ORC_HOST needs no second listener', () => {
    const s = settings(['--ui', '-H', 'tcp://127.0.0.1:7402'], sys(token));
    expect(s.ui).toBe(true);
    expect(s.uiListen).toBeUndefined();
  });
  it('refuses --ui with nowhere to serve it, --ui-listen without --ui, without a token, or remote', () => {
    expect(code(() => settings(['--ui'], sys(token)))).toBe('UI_LISTEN_REQUIRED');
    expect(code(() => settings(['--ui-listen', 'tcp://127.0.0.1:7400'], sys(token)))).toBe('UI_REQUIRED');
    expect(code(() => settings(['--ui', '--ui-listen', 'tcp://127.0.0.1:7400'], sys({ HOME: '/h' })))).toBe(
      'TOKEN_REQUIRED',
    );
    expect(code(() => settings(['--ui', '--ui-listen', 'tcp://10.1.2.3:7400'], sys(token)))).toBe(
      'REMOTE_BIND',
    );
    expect(
      settings(['--ui', '--allow-remote', '--ui-listen', 'tcp://10.1.2.3:7400'], sys(token)).uiListen,
    ).toEqual({ host: '10.1.2.3', port: 7400 });
    expect(code(() => settings(['--ui', '--ui-listen', 'unix:///tmp/x.sock'], sys(token)))).toBe(
      'INVALID_HOST',
    );
  });
});
