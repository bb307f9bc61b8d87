import { describe, expect, it } from 'vitest';
import { humanDuration, statusText } from './status.js';

const t0 = Date.parse('2026-12-04T12:00:00Z');
const base = { exitCode: 0, startedAt: '2026-12-04T12:00:00Z', finishedAt: '' };

describe('status text as the engine prints it', () => {
  it('rounds ages as docker ps does', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(1000)).toBe('1 second');
    expect(humanDuration(59_999)).toBe('59 seconds');
    expect(humanDuration(60_000)).toBe('About a minute');
    expect(humanDuration(5 * 60_000)).toBe('5 minutes');
    expect(humanDuration(59 * 60_000 + 59_000)).toBe('59 minutes');
    expect(humanDuration(80 * 60_000)).toBe('About an hour');
    expect(humanDuration(100 * 60_000)).toBe('2 hours');
    expect(humanDuration(3 * 24 * 3_600_000)).toBe('3 days');
    expect(humanDuration(20 * 24 * 3_600_000)).toBe('2 weeks');
    expect(humanDuration(90 * 24 * 3_600_000)).toBe('3 months');
    expect(humanDuration(800 * 24 * 3_600_000)).toBe('2 years');
  });

  it('says state, age and health at the time it is asked', () => {
    expect(statusText({ ...base, state: 'running' }, t0 + 5_000)).toBe('Up 5 seconds');
    expect(statusText({ ...base, state: 'running', health: 'healthy' }, t0 + 120_000)).toBe(
      'Up 2 minutes (healthy)',
    );
    expect(statusText({ ...base, state: 'running', health: 'starting' }, t0)).toBe(
      'Up Less than a second (health: starting)',
    );
    expect(statusText({ ...base, state: 'paused' }, t0 + 2_000)).toBe('Up 2 seconds (Paused)');
    expect(
      statusText(
        { ...base, state: 'exited', exitCode: 137, finishedAt: '2026-12-04T12:01:00Z' },
        t0 + 63_000,
      ),
    ).toBe('Exited (137) 3 seconds ago');
    expect(statusText({ ...base, state: 'created', startedAt: '' }, t0)).toBe('Created');
    expect(statusText({ ...base, state: 'dead' }, t0)).toBe('Dead');
    expect(
      statusText(
        { ...base, state: 'restarting', exitCode: 1, finishedAt: '2026-12-04T12:00:00Z' },
        t0 + 2_000,
      ),
    ).toBe('Restarting (1) 2 seconds ago');
  });
});
