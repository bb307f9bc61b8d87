import { describe, expect, it } from 'vitest';
import { literalRe, remote } from './cp.js';

describe('cp arguments', () => {
  it('SERVICE:PATH is remote (relative paths from the root); `/` or `.` first, or no service, is local', () => {
    expect(remote('web:/etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(remote('web:etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(remote('web:/data/.')).toEqual({ service: 'web', path: '/data/.' });
    expect(remote('./a:b')).toBeUndefined();
    expect(remote('/tmp/a:b')).toBeUndefined();
    expect(remote('plain.txt')).toBeUndefined();
    expect(remote(':x')).toBeUndefined();
    expect(remote('-')).toBeUndefined();
  });

  it('a name becomes a literal basic regular expression for --transform (`,` is the delimiter)', () => {
    expect(literalRe('a.b[1]*^$\\,c+?(x)')).toBe('a\\.b\\[1\\]\\*\\^\\$\\\\\\,c+?(x)');
  });
});
