import { describe, expect, it } from 'vitest';
import type { ServiceVolume } from '../model/project.js';
import { parseShortVolume } from './volumes.js';

describe('parseShortVolume', () => {
  it.each<[string, ServiceVolume]>([
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['db:/var/lib/db', { type: 'volume', source: 'db', target: '/var/lib/db', volume: {} }],
    [
      'db:/var/lib/db:ro',
      { type: 'volume', source: 'db', target: '/var/lib/db', read_only: true, volume: {} },
    ],
    ['db:/x:nocopy', { type: 'volume', source: 'db', target: '/x', volume: { nocopy: true } }],
    // compose accepts a relabel on a named volume (docker/compose e2e: switch-volumes, hooks).
    ['db:/x:z', { type: 'volume', source: 'db', target: '/x', bind: { selinux: 'z' }, volume: {} }],
    ['./src:/app', { type: 'bind', source: './src', target: '/app', bind: { create_host_path: true } }],
    [
      '/opt:/opt:rw',
      { type: 'bind', source: '/opt', target: '/opt', read_only: false, bind: { create_host_path: true } },
    ],
    [
      '~/cfg:/etc/cfg:ro',
      {
        type: 'bind',
        source: '~/cfg',
        target: '/etc/cfg',
        read_only: true,
        bind: { create_host_path: true },
      },
    ],
    [
      '.:/code:z',
      { type: 'bind', source: '.', target: '/code', bind: { create_host_path: true, selinux: 'z' } },
    ],
    [
      '.:/code:Z',
      { type: 'bind', source: '.', target: '/code', bind: { create_host_path: true, selinux: 'Z' } },
    ],
    [
      '/src:/dst:ro,rshared',
      {
        type: 'bind',
        source: '/src',
        target: '/dst',
        read_only: true,
        bind: { create_host_path: true, propagation: 'rshared' },
      },
    ],
    [
      './c:/c:cached',
      { type: 'bind', source: './c', target: '/c', consistency: 'cached', bind: { create_host_path: true } },
    ],
  ])('%s', (input, expected) => {
    expect(parseShortVolume(input)).toEqual({ ok: true, volume: expected });
  });

  it.each([
    ['db:relative', /not an absolute path/],
    ['a:/b:c:d', /too many/],
    ['db:/x:bogus', /unknown option "bogus"/],
    ['./a:/x:nocopy', /volumes only/],
    [':/x', /source is empty/],
  ])('rejects %s', (input, message) => {
    const r = parseShortVolume(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
