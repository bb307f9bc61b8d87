import { describe, expect, it } from 'vitest';
import {
  decideRestart,
  emptyHistory,
  type RestartHistory,
  type RestartPolicySpec,
  recordRestart,
  type Trigger,
} from './restart-policy.js';

const backoff = { floorMs: 100, capMs: 60_000, resetAfterMs: 10_000 };
const crash = (exitCode = 1, ranMs = 50): Trigger => ({ kind: 'exit', exitCode, ranMs });

/** Replays a crash loop: decide, then record, as the restarter does; returns the decisions' kinds and delays. */
function loop(policy: RestartPolicySpec, crashes: number, gapMs = 0) {
  let h: RestartHistory = emptyHistory();
  let now = 1_000_000;
  const out: string[] = [];
  for (let i = 0; i < crashes; i++) {
    const d = decideRestart(policy, h, crash(), now, backoff);
    out.push(d.kind === 'restart' ? `restart ${d.delayMs}` : d.kind);
    if (d.kind !== 'restart') break;
    now += d.delayMs;
    h = recordRestart(policy, h, now, 50, backoff);
    now += gapMs;
  }
  return out;
}

describe('decideRestart', () => {
  it('condition none never restarts; on-failure leaves a clean exit down; any restarts it', () => {
    const h = emptyHistory();
    expect(decideRestart({ condition: 'none', delay_ms: 0 }, h, crash(1), 0, backoff).kind).toBe('stay-down');
    expect(decideRestart({ condition: 'on-failure', delay_ms: 0 }, h, crash(0), 0, backoff).kind).toBe(
      'stay-down',
    );
    expect(decideRestart({ condition: 'on-failure', delay_ms: 0 }, h, crash(2), 0, backoff).kind).toBe(
      'restart',
    );
    expect(decideRestart({ condition: 'any', delay_ms: 0 }, h, crash(0), 0, backoff).kind).toBe('restart');
  });

  it('gives up after exactly max_attempts restarts, with exponential delays', () => {
    expect(loop({ condition: 'on-failure', delay_ms: 1000, max_attempts: 3 }, 10)).toEqual([
      'restart 1000',
      'restart 2000',
      'restart 4000',
      'give-up',
    ]);
  });

  it('max_attempts 0 means no limit (as in Swarm), and the history stays small', () => {
    const policy: RestartPolicySpec = { condition: 'any', delay_ms: 1000, max_attempts: 0 };
    expect(loop(policy, 8).every((k) => k.startsWith('restart'))).toBe(true);
    let h = emptyHistory();
    for (let i = 0; i < 1000; i++) h = recordRestart(policy, h, i, 50, backoff);
    expect(h.restarts).toHaveLength(1);
    const limited: RestartPolicySpec = { condition: 'any', delay_ms: 1000, max_attempts: 3 };
    let l = emptyHistory();
    for (let i = 0; i < 1000; i++) l = recordRestart(limited, l, i, 50, backoff);
    expect(l.restarts).toEqual([997, 998, 999]);
  });

  it('counts only the restarts within the window', () => {
    // One restart per 20 s with a 30 s window: never more than 2 in the window, so max 2 never trips... once.
    const policy: RestartPolicySpec = {
      condition: 'any',
      delay_ms: 1000,
      max_attempts: 2,
      window_ms: 30_000,
    };
    expect(loop(policy, 6, 20_000).every((k) => k.startsWith('restart'))).toBe(true);
    // Without the gap, the third crash is within the window of two restarts.
    expect(loop(policy, 6)).toEqual(['restart 1000', 'restart 2000', 'give-up']);
  });

  it('a long run starts the backoff over', () => {
    const policy: RestartPolicySpec = { condition: 'any', delay_ms: 1000 };
    let h = emptyHistory();
    for (let i = 0; i < 4; i++) h = recordRestart(policy, h, i, 50, backoff);
    expect(decideRestart(policy, h, crash(1, 50), 10, backoff)).toMatchObject({ delayMs: 16_000 });
    expect(decideRestart(policy, h, crash(1, 60_000), 10, backoff)).toMatchObject({ delayMs: 1000 });
  });

  it('explains itself: exit code, attempt, delay; the probe output for unhealthy', () => {
    const d = decideRestart(
      { condition: 'on-failure', delay_ms: 2000, max_attempts: 3 },
      emptyHistory(),
      crash(3),
      0,
    );
    expect(d.reason).toBe('exited with code 3; restart 1 of 3 after 2s (on-failure)');
    const u = decideRestart(
      { condition: 'any', delay_ms: 1000 },
      emptyHistory(),
      { kind: 'unhealthy', output: 'wget: server returned error\n', ranMs: 0 },
      0,
    );
    expect(u.reason).toBe('unhealthy (last probe: wget: server returned error); restart 1 after 1s (any)');
    const g = loop({ condition: 'any', delay_ms: 0, max_attempts: 1 }, 3);
    expect(g).toEqual(['restart 100', 'give-up']);
  });

  it('an unhealthy container is restarted whatever the exit condition says', () => {
    const d = decideRestart(
      { condition: 'none', delay_ms: 0 },
      emptyHistory(),
      { kind: 'unhealthy', ranMs: 0 },
      0,
      backoff,
    );
    expect(d.kind).toBe('restart');
  });
});
