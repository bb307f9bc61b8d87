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

describe('stats', () => {
  it('prints docker stats’ columns and units', async () => {
    const { binarySize, decimalSize, renderStats } = await import('./stats.js');
    expect(binarySize(544768)).toBe('532KiB');
    expect(binarySize(25276071936)).toBe('23.54GiB');
    expect(binarySize(0)).toBe('0B');
    expect(decimalSize(1096)).toBe('1.1kB');
    expect(decimalSize(0)).toBe('0B');
    expect(decimalSize(12_345_678)).toBe('12.3MB');
    const text = renderStats([
      {
        container: 'demo-web-1',
        service: 'web',
        id: 'a'.repeat(64),
        cpuPercent: 1.234,
        memUsage: 544768,
        memLimit: 25276071936,
        memPercent: 0.0021,
        netRx: 1096,
        netTx: 0,
        blockRead: 0,
        blockWrite: 4096,
        pids: 3,
      },
    ]);
    expect(text.split('\n')[0]).toMatch(
      /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
    );
    expect(text).toContain('1.23%');
    expect(text).toContain('532KiB / 23.54GiB');
    expect(text).toContain('1.1kB / 0B');
    expect(text).toContain('0B / 4.1kB');
  });
});
