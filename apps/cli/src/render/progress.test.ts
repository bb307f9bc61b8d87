import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../client/types.js';
import { palette } from './color.js';
import { applyEvent, counts, type ProgressModel, plainLine, verb } from './progress.js';
import { liveView, renderFrame } from './progress-tty.js';

const ev = (over: Partial<ProgressEvent>): ProgressEvent => ({
  operationId: 'op',
  project: 'demo',
  kind: 'container',
  resource: 'demo-web-1',
  action: 'create',
  state: 'working',
  time: '2026-01-01T00:00:00Z',
  ...over,
});

describe('verbs', () => {
  it.each([
    ['create-container', 'working', 'Creating'],
    ['create', 'done', 'Created'],
    ['start-container', 'done', 'Started'],
    ['wait healthy', 'done', 'Healthy'],
    ['wait healthy', 'working', 'Waiting'],
    ['remove-volume', 'done', 'Removed'],
    ['stop', 'error', 'Error'],
    ['frobnicate', 'done', 'Frobnicate done'],
  ] as const)('%s/%s reads %s', (action, state, word) => {
    expect(verb(action, state)).toBe(word);
  });
});

describe('plain progress', () => {
  it('prints compose’s plain lines', () => {
    expect(plainLine(ev({ kind: 'network', resource: 'demo_default', state: 'done', elapsedMs: 120 }))).toBe(
      ' Network demo_default  Created 0.1s',
    );
    expect(plainLine(ev({ action: 'wait healthy', state: 'error', message: 'healthcheck timed out' }))).toBe(
      ' Container demo-web-1  Error: healthcheck timed out',
    );
    expect(plainLine(ev({ action: 'create-container', message: 'config hash differs: environment.X' }))).toBe(
      ' Container demo-web-1  Creating (config hash differs: environment.X)',
    );
  });
});

describe('the live view', () => {
  it('keeps one line per resource, in first-seen order, and counts what is finished', () => {
    const model: ProgressModel = new Map();
    applyEvent(model, ev({ kind: 'network', resource: 'demo_default' }), 0);
    applyEvent(model, ev({ resource: 'demo-db-1' }), 100);
    applyEvent(model, ev({ kind: 'network', resource: 'demo_default', state: 'done' }), 300);
    applyEvent(model, ev({ resource: 'demo-db-1', action: 'start', state: 'done' }), 1600);
    applyEvent(model, ev({ resource: 'demo-api-1', action: 'wait healthy', state: 'working' }), 1700);
    expect(counts(model)).toEqual({ done: 2, total: 3, errors: 0 });
    const frame = renderFrame('Running', model, 2000, 0, 60, palette(false));
    expect(frame).toEqual([
      '[+] Running 2/3',
      ' ✔ Network demo_default  Created                       0.3s',
      ' ✔ Container demo-db-1   Started                       1.5s',
      ' ⠋ Container demo-api-1  Waiting                       0.3s',
    ]);
  });

  it('fits every line in a narrow terminal (a wrapped line would break the redraw)', () => {
    const model: ProgressModel = new Map();
    applyEvent(model, ev({ resource: 'a-very-long-project-name-for-sure-web-1', message: 'missing' }), 0);
    applyEvent(model, ev({ kind: 'network', resource: 'short', state: 'done' }), 0);
    for (const width of [40, 50, 60]) {
      const frame = renderFrame('Running', model, 1000, 0, width, palette(false));
      for (const line of frame) expect(line.length, line).toBeLessThan(width);
      expect(frame[1]).toContain('…');
    }
  });

  it('shows failures in the header and the message on the line', () => {
    const model: ProgressModel = new Map();
    applyEvent(
      model,
      ev({ action: 'wait healthy', state: 'error', message: 'unhealthy after 3 retries' }),
      0,
    );
    const frame = renderFrame('Running', model, 500, 0, 80, palette(false));
    expect(frame[0]).toBe('[+] Running 0/1 (1 failed)');
    expect(frame[1]).toContain('Error: unhealthy after 3 retries');
  });
});

describe('the live view on a terminal', () => {
  it('redraws its frame in place, clearing each line, and ends on the final frame', () => {
    let written = '';
    const out = {
      columns: 60,
      write(chunk: string) {
        written += chunk;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const view = liveView('Running', out, palette(false));
    view.event(ev({ resource: 'demo-db-1' }));
    view.event(ev({ resource: 'demo-db-1', action: 'start', state: 'done', elapsedMs: 1200 }));
    view.finish();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the cursor-up escape is what we look for
    const frames = written.split(/\x1b\[\d+F/);
    // First frame: header only; each later one moves up over the previous frame and rewrites it.
    expect(frames.length).toBe(4);
    const last = frames.at(-1) ?? '';
    expect(last.split('\n').filter(Boolean)).toEqual([
      '\x1b[2K[+] Running 1/1',
      `\x1b[2K ✔ Container demo-db-1  Started${' '.repeat(24)}1.2s`,
    ]);
  });
});
