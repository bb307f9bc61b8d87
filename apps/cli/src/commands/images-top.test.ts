import { describe, expect, it } from 'vitest';
import { humanSize, shortId } from './images.js';
import { renderTop } from './top.js';

describe('images and top rendering', () => {
  it('sizes as docker prints them (decimal units, three significant digits)', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(4_261_000)).toBe('4.26MB');
    expect(humanSize(1_500_000_000)).toBe('1.5GB');
  });

  it('short ids drop the algorithm', () => {
    expect(shortId('sha256:0123456789abcdef0123')).toBe('0123456789ab');
  });

  it('top: the container name, then its process table; a blank line between containers', () => {
    const text = renderTop([
      {
        container: 'p-db-1',
        service: 'db',
        titles: ['UID', 'PID', 'CMD'],
        processes: [['root', '42', 'sleep 3600']],
      },
      { container: 'p-web-1', service: 'web', titles: ['UID', 'PID', 'CMD'], processes: [] },
    ]);
    expect(text).toBe('p-db-1\nUID    PID   CMD\nroot   42    sleep 3600\n\np-web-1\nUID   PID   CMD\n');
  });
});
