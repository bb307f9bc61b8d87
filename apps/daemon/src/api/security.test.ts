import { describe, expect, it } from 'vitest';
import { OrcError } from '../contract/errors.js';
import { checkRequest, hostName, type SecurityOptions, tokenMatches } from './security.js';

const tcp: SecurityOptions = {
  transport: 'tcp',
  token: 'secret',
  allowOrigins: [],
  allowHosts: [],
  bindHost: '127.0.0.1',
};

function refusal(headers: Record<string, string>, opts: SecurityOptions): string | undefined {
  try {
    checkRequest(headers, opts);
    return undefined;
  } catch (err) {
    return err instanceof OrcError ? err.code : 'other';
  }
}

describe('request security', () => {
  it('compares bearer tokens exactly', () => {
    expect(tokenMatches('Bearer secret', 'secret')).toBe(true);
    expect(tokenMatches('bearer secret', 'secret')).toBe(true);
    expect(tokenMatches('Bearer secre', 'secret')).toBe(false);
    expect(tokenMatches('Bearer secrets', 'secret')).toBe(false);
    expect(tokenMatches('Basic secret', 'secret')).toBe(false);
    expect(tokenMatches(undefined, 'secret')).toBe(false);
  });

  it('parses Host headers with ports and IPv6', () => {
    expect(hostName('LOCALHOST:7323')).toBe('localhost');
    expect(hostName('[::1]:7323')).toBe('[::1]');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
  });

  it('requires the token on TCP, even from loopback', () => {
    expect(refusal({ host: '127.0.0.1:1' }, tcp)).toBe('UNAUTHORIZED');
    expect(refusal({ host: '127.0.0.1:1', authorization: 'Bearer secret' }, tcp)).toBeUndefined();
    expect(refusal({ host: 'api.localhost', authorization: 'Bearer secret' }, tcp)).toBeUndefined();
  });

  it('refuses foreign Hosts on TCP unless allowed', () => {
    const auth = { authorization: 'Bearer secret' };
    expect(refusal({ host: 'rebind.example:1', ...auth }, tcp)).toBe('FORBIDDEN_HOST');
    expect(
      refusal({ host: 'rebind.example:1', ...auth }, { ...tcp, allowHosts: ['rebind.example'] }),
    ).toBeUndefined();
  });

  it('refuses any Origin unless listed, on the socket too', () => {
    const unix: SecurityOptions = { transport: 'unix', allowOrigins: [], allowHosts: [] };
    expect(refusal({ origin: 'http://localhost:3000' }, unix)).toBe('FORBIDDEN_ORIGIN');
    expect(refusal({ origin: 'null' }, unix)).toBe('FORBIDDEN_ORIGIN');
    expect(
      refusal({ origin: 'http://localhost:3000' }, { ...unix, allowOrigins: ['http://localhost:3000'] }),
    ).toBe(undefined);
    expect(refusal({ host: 'anything' }, unix)).toBeUndefined();
  });
});
