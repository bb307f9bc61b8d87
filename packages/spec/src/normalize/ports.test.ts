import { describe, expect, it } from 'vitest';
import type { ServicePort } from '../model/project.js';
import { parseShortPort } from './ports.js';

const p = (target: number, extra: Partial<ServicePort> = {}): ServicePort => ({
  mode: 'ingress',
  ...(extra.host_ip ? { host_ip: extra.host_ip } : {}),
  protocol: extra.protocol ?? 'tcp',
  target,
  ...(extra.published ? { published: extra.published } : {}),
});

describe('parseShortPort', () => {
  it.each<[string | number, ServicePort[]]>([
    [3000, [p(3000)]],
    ['3000', [p(3000)]],
    ['8080:80', [p(80, { published: '8080' })]],
    ['127.0.0.1:8080:80/udp', [p(80, { published: '8080', host_ip: '127.0.0.1', protocol: 'udp' })]],
    ['3000-3002', [p(3000), p(3001), p(3002)]],
    ['9090-9091:8080-8081', [p(8080, { published: '9090' }), p(8081, { published: '9091' })]],
    ['8000-8010:80', [p(80, { published: '8000-8010' })]],
    ['127.0.0.1::80', [p(80, { host_ip: '127.0.0.1' })]],
    ['[::1]:8080:80', [p(80, { published: '8080', host_ip: '::1' })]],
    ['53:53/udp', [p(53, { published: '53', protocol: 'udp' })]],
    ['80/sctp', [p(80, { protocol: 'sctp' })]],
    ['49100:22', [p(22, { published: '49100' })]],
    [
      '127.0.0.1:5000-5001:5000-5001',
      [
        p(5000, { published: '5000', host_ip: '127.0.0.1' }),
        p(5001, { published: '5001', host_ip: '127.0.0.1' }),
      ],
    ],
  ])('%s', (input, expected) => {
    expect(parseShortPort(input)).toEqual({ ok: true, ports: expected });
  });

  it.each([
    ['70000', /out of range/],
    ['8080:70000', /out of range/],
    ['99999:80', /out of range/],
    ['80/http', /unknown protocol "http"/],
    ['abc', /not a port/],
    ['8080:', /no container port/],
    ['3000-3002:80-81', /differ in length/],
    ['3005-3000', /ends before it starts/],
  ])('rejects %s', (input, message) => {
    const r = parseShortPort(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
