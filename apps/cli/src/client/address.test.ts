import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { defaultSocketPath, resolveAddress } from './address.js';

describe('resolveAddress', () => {
  it('defaults to /run/orc/orc.sock for root and the runtime dir for others', () => {
    expect(resolveAddress({}, 0)).toEqual({
      kind: 'unix',
      socketPath: '/run/orc/orc.sock',
      display: 'unix:///run/orc/orc.sock',
    });
    expect(defaultSocketPath(1000, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe(
      '/run/user/1000/orc/orc.sock',
    );
    expect(defaultSocketPath(1000, {})).toBe('/tmp/orc-1000/orc/orc.sock');
  });

  it('reads unix and tcp addresses, with the token for tcp only', () => {
    expect(resolveAddress({ ORC_HOST: 'unix:///tmp/x/orc.sock', ORC_TOKEN: 't' }, 0)).toEqual({
      kind: 'unix',
      socketPath: '/tmp/x/orc.sock',
      display: 'unix:///tmp/x/orc.sock',
    });
    expect(resolveAddress({ ORC_HOST: 'tcp://127.0.0.1:7420', ORC_TOKEN: 'secret' }, 0)).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 7420,
      token: 'secret',
      display: 'tcp://127.0.0.1:7420',
    });
    expect(resolveAddress({ ORC_HOST: 'tcp://[::1]:80' }, 0)).toMatchObject({ host: '::1', port: 80 });
  });

  it.each(['http://localhost:1', 'tcp://127.0.0.1', 'tcp://127.0.0.1:99999', 'unix://relative.sock'])(
    'refuses %s as a usage error (exit 2)',
    (host) => {
      let caught: unknown;
      try {
        resolveAddress({ ORC_HOST: host }, 0);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(2);
      expect((caught as CliError).message).toContain(host);
    },
  );
});
