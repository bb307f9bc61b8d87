import type { ProgressEvent } from '../client/types.js';
import type { Palette } from './color.js';
import { visibleLength } from './color.js';
import {
  applyEvent,
  counts,
  detail,
  elapsedSeconds,
  kindLabel,
  type ProgressLine,
  type ProgressModel,
  verb,
} from './progress.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function icon(line: ProgressLine, tick: number, c: Palette): string {
  switch (line.state) {
    case 'done':
      return c.green('✔');
    case 'error':
      return c.red('✘');
    case 'skipped':
      return c.dim('-');
    case 'warning':
      return c.yellow('!');
    default:
      return c.blue(SPINNER[tick % SPINNER.length] ?? '⠋');
  }
}

/**
 * One frame of the live view, as compose v2 draws it:
 *   [+] Running 2/3
 *    ✔ Network demo_default   Created   0.1s
 *    ⠙ Container demo-db-1    Waiting   2.3s
 */
export function renderFrame(
  title: string,
  model: ProgressModel,
  now: number,
  tick: number,
  width: number,
  c: Palette,
): string[] {
  const { done, total, errors } = counts(model);
  const lines = [...model.values()];
  const verbWidth = Math.max(0, ...lines.map((l) => verb(l.action, l.state).length));
  // A line longer than the terminal wraps and breaks the in-place redraw: names give way first.
  const nameRoom = Math.max(10, width - 14 - verbWidth);
  const nameWidth = Math.min(
    nameRoom,
    Math.max(0, ...lines.map((l) => kindLabel(l.kind).length + 1 + l.resource.length)),
  );
  const header = `${c.blue('[+]')} ${title} ${done}/${total}${errors ? c.red(` (${errors} failed)`) : ''}`;
  const out = [header];
  for (const line of lines) {
    const name = truncate(`${kindLabel(line.kind)} ${line.resource}`, nameWidth).padEnd(nameWidth);
    const word = verb(line.action, line.state).padEnd(verbWidth);
    const coloured = line.state === 'error' ? c.red(word) : line.state === 'done' ? c.green(word) : word;
    const left = ` ${icon(line, tick, c)} ${name}  ${coloured}`;
    const elapsed = elapsedSeconds(line, now);
    const room = width - visibleLength(left) - elapsed.length - 3;
    // A finished line needs no cause; a working one shows why, a failed one the error.
    const text = line.state === 'done' ? '' : detail(line.state, line.message?.replace(/\s+/g, ' '));
    const message = text && room > 3 ? truncate(text, room) : '';
    const pad = Math.max(1, width - visibleLength(left) - message.length - elapsed.length - 1);
    out.push(`${left}${message}${' '.repeat(pad)}${c.dim(elapsed)}`);
  }
  return out;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

export interface LiveView {
  event(e: ProgressEvent): void;
  /** Draws the final frame and stops the spinner. */
  finish(): void;
}

/** Redraws the frame in place (cursor up + clear) on every event and ten times a second for the spinner. */
export function liveView(title: string, out: NodeJS.WriteStream, c: Palette): LiveView {
  const model: ProgressModel = new Map();
  let tick = 0;
  let drawn = 0;
  const draw = () => {
    const width = Math.max(40, Math.min(out.columns || 80, 160));
    const frame = renderFrame(title, model, Date.now(), tick, width, c);
    // Cursor to the first line we drew, then rewrite every line (each cleared to its end).
    const up = drawn > 0 ? `\x1b[${drawn}F` : '';
    out.write(`${up}${frame.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawn = frame.length;
  };
  const timer = setInterval(() => {
    tick++;
    draw();
  }, 100);
  timer.unref();
  draw();
  return {
    event(e) {
      applyEvent(model, e, Date.now());
      draw();
    },
    finish() {
      clearInterval(timer);
      draw();
    },
  };
}
