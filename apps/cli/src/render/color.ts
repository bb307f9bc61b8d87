/** ANSI styling that turns itself off: `--ansi never`, NO_COLOR, or a stream that is not a TTY. */
export interface Palette {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  /** The n-th of a rotating set of colours, for service prefixes. */
  rotate(n: number, s: string): string;
}

export type AnsiMode = 'never' | 'always' | 'auto';

export function colorEnabled(mode: AnsiMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

const wrap = (on: boolean, open: number, close: number) => (s: string) =>
  on ? `\x1b[${open}m${s}\x1b[${close}m` : s;

// compose v2's order for service prefixes: cyan, yellow, green, magenta, blue, then bright variants.
const ROTATION = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export function palette(enabled: boolean): Palette {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    blue: wrap(enabled, 34, 39),
    rotate: (n, s) => wrap(enabled, ROTATION[n % ROTATION.length] ?? 36, 39)(s),
  };
}

/** Length as it shows on a terminal (escape sequences take no room). */
export function visibleLength(s: string): number {
  // Most cells have no colour: `ps` of 200 containers measures 1,400 of them, twice.
  if (!s.includes('\x1b')) return s.length;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
