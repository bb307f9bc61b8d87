import { describe, expect, it } from 'vitest';
import { isImageError } from '../contract/image-errors.js';
import { decideImage, type ImageDecisionInput, parseDuration, parsePullPolicy } from './policy.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;

function input(extra: Partial<ImageDecisionInput>): ImageDecisionInput {
  return {
    service: 'web',
    image: 'registry.example/web:1',
    pullPolicy: 'missing',
    present: false,
    now: NOW,
    hasBuild: false,
    defaultName: false,
    ...extra,
  };
}

/** The decision as one word (with the fallback), so the table reads at a glance. */
function decide(extra: Partial<ImageDecisionInput>): string {
  const d = decideImage(input(extra));
  if (d.action === 'fail') return `fail:${d.error.code}`;
  if (d.action === 'pull') return d.fallbackToBuild ? 'pull|build' : 'pull';
  return d.action;
}

describe('decideImage', () => {
  it.each<[string, Partial<ImageDecisionInput>, string]>([
    ['missing, present', { present: true }, 'use'],
    ['missing, absent', {}, 'pull'],
    ['missing, absent, has build: pull first, build if the pull fails', { hasBuild: true }, 'pull|build'],
    ['missing, absent, build-only default name', { hasBuild: true, defaultName: true }, 'build'],
    ['missing, absent, has build, --no-build', { hasBuild: true, noBuild: true }, 'pull'],
    [
      'build-only default name, --no-build',
      { hasBuild: true, noBuild: true, defaultName: true, pullPolicy: 'build' },
      'fail:IMAGE_MISSING',
    ],
    ['always, present', { pullPolicy: 'always', present: true }, 'pull'],
    ['always with build', { pullPolicy: 'always', present: true, hasBuild: true }, 'pull|build'],
    ['always, build-only default name', { pullPolicy: 'always', hasBuild: true, defaultName: true }, 'build'],
    ['never, present', { pullPolicy: 'never', present: true }, 'use'],
    ['never, absent', { pullPolicy: 'never' }, 'fail:IMAGE_MISSING'],
    ['never, absent, has build', { pullPolicy: 'never', hasBuild: true }, 'build'],
    ['build (explicit image), present', { pullPolicy: 'build', hasBuild: true, present: true }, 'build'],
    [
      'build (default name), present',
      { pullPolicy: 'build', hasBuild: true, defaultName: true, present: true },
      'use',
    ],
    ['build (default name), absent', { pullPolicy: 'build', hasBuild: true, defaultName: true }, 'build'],
    [
      'build (default name), --build',
      { pullPolicy: 'build', hasBuild: true, defaultName: true, present: true, forceBuild: true },
      'build',
    ],
    ['--build without a build section', { present: true, forceBuild: true }, 'use'],
    ['--pull always overrides missing', { present: true, override: 'always' }, 'pull'],
    ['--pull never overrides always', { pullPolicy: 'always', present: true, override: 'never' }, 'use'],
    ['--pull policy keeps the policy', { pullPolicy: 'always', present: true, override: 'policy' }, 'pull'],
    ['daily, pulled an hour ago', { pullPolicy: 'daily', present: true, lastPulledAt: NOW - HOUR }, 'use'],
    [
      'daily, pulled two days ago',
      { pullPolicy: 'daily', present: true, lastPulledAt: NOW - 48 * HOUR },
      'pull',
    ],
    ['daily, never pulled', { pullPolicy: 'daily', present: true }, 'pull'],
    [
      'every_2h, pulled 3h ago',
      { pullPolicy: 'every_2h', present: true, lastPulledAt: NOW - 3 * HOUR },
      'pull',
    ],
    ['every_2h, pulled 1h ago', { pullPolicy: 'every_2h', present: true, lastPulledAt: NOW - HOUR }, 'use'],
    ['weekly, absent with build', { pullPolicy: 'weekly', hasBuild: true }, 'pull|build'],
    ['repair pass, present, always', { pullPolicy: 'always', present: true, converge: true }, 'use'],
    ['repair pass, absent, always', { pullPolicy: 'always', converge: true }, 'pull'],
  ])('%s → %s', (_name, extra, want) => {
    expect(decide(extra)).toBe(want);
  });

  it('says which service and image are missing, and what to do', () => {
    const d = decideImage(input({ pullPolicy: 'never' }));
    expect(d.action).toBe('fail');
    if (d.action === 'fail') {
      expect(d.error.message).toContain('service web');
      expect(d.error.message).toContain('registry.example/web:1');
      expect(d.error.message).toContain('orc pull');
    }
  });
});

describe('parsePullPolicy', () => {
  it.each([
    ['', { kind: 'missing' }],
    ['if_not_present', { kind: 'missing' }],
    ['daily', { kind: 'refresh', everyMs: 24 * HOUR }],
    ['weekly', { kind: 'refresh', everyMs: 7 * 24 * HOUR }],
    ['every_1h30m', { kind: 'refresh', everyMs: 1.5 * HOUR }],
    ['every_90s', { kind: 'refresh', everyMs: 90_000 }],
  ])('%j', (text, want) => {
    expect(parsePullPolicy(text)).toEqual(want);
  });

  it.each(['sometimes', 'every_', 'every_5', 'every_-1h', 'every_0s'])('refuses %j', (text) => {
    try {
      parsePullPolicy(text, 'web');
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'INVALID_PULL_POLICY')).toBe(true);
      expect((err as Error).message).toContain('service web');
    }
  });

  it('parses Go durations', () => {
    expect(parseDuration('1h')).toBe(HOUR);
    expect(parseDuration('2d')).toBe(48 * HOUR);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('h')).toBeUndefined();
  });
});
