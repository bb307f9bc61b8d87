import { describe, expect, it } from 'vitest';
import { statsRow } from './top.js';

describe('stats row (as docker stats computes it)', () => {
  it('CPU from the two readings, memory without the page cache, network and block I/O summed', () => {
    const row = statsRow('demo-web-1', 'web', 'id', {
      cpu_stats: { cpu_usage: { total_usage: 2_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
      memory_stats: { usage: 10_000, limit: 100_000, stats: { inactive_file: 2_000 } },
      networks: { eth0: { rx_bytes: 100, tx_bytes: 10 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: {
        io_service_bytes_recursive: [
          { op: 'read', value: 5 },
          { op: 'Write', value: 7 },
          { op: 'Read', value: 1 },
        ],
      },
      pids_stats: { current: 4 },
    });
    expect(row).toEqual({
      container: 'demo-web-1',
      service: 'web',
      id: 'id',
      cpuPercent: 20,
      memUsage: 8_000,
      memLimit: 100_000,
      memPercent: 8,
      netRx: 101,
      netTx: 12,
      blockRead: 6,
      blockWrite: 7,
      pids: 4,
    });
  });

  it('cgroup v1 cache field, and a stopped container (no sample) as zeros', () => {
    expect(
      statsRow('c', 's', 'i', {
        memory_stats: { usage: 5_000, limit: 10_000, stats: { total_inactive_file: 1_000 } },
      }).memUsage,
    ).toBe(4_000);
    expect(statsRow('c', 's', 'i', {})).toMatchObject({ cpuPercent: 0, memUsage: 0, memPercent: 0, pids: 0 });
  });
});
