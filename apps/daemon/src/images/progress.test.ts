import { describe, expect, it } from 'vitest';
import { createBuildLog, type ImageProgress, layerProgress } from './progress.js';

describe('layerProgress', () => {
  it('keeps layer, status and byte counts; drops errors and status-less messages', () => {
    const base = { service: 's', image: 'i', action: 'pull' as const };
    expect(
      layerProgress({ status: 'Downloading', id: 'abc', progressDetail: { current: 5, total: 10 } }, base),
    ).toEqual({ ...base, state: 'working', status: 'Downloading', layer: 'abc', current: 5, total: 10 });
    expect(layerProgress({ error: 'x', errorDetail: { message: 'x' } }, base)).toBeUndefined();
    expect(layerProgress({ aux: { ID: 'x' } }, base)).toBeUndefined();
  });
});

describe('createBuildLog', () => {
  it('splits output into lines across messages and names the failing step with its own output', () => {
    const seen: ImageProgress[] = [];
    const log = createBuildLog({ service: 's', image: 'i' }, (p) => seen.push(p));
    for (const stream of [
      'Step 1/2 : FROM base',
      '\n',
      ' ---> 123\n',
      'Step 2/2 : RUN make',
      '\n',
      ' ---> Running in 9\n',
      'compiling a\ncompil',
      'ing b\n',
      'error: b is broken',
    ]) {
      log.message({ stream });
    }
    expect(log.failure()).toEqual({
      step: 'Step 2/2 : RUN make',
      output: ['compiling a', 'compiling b', 'error: b is broken'],
    });
    expect(seen.map((p) => p.message)).toContain('compiling b');
    expect(seen.find((p) => p.message === 'compiling b')?.status).toBe('Step 2/2 : RUN make');
  });
});
