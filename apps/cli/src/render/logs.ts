import type { LogLine } from '../client/types.js';
import type { Palette } from './color.js';

export interface LogFormat {
  project: string;
  prefix: boolean;
  timestamps: boolean;
  palette: Palette;
}

/** `web-1`: the container name without the project, as compose v2 prefixes lines. */
export function shortName(project: string, container: string): string {
  return container.startsWith(`${project}-`) ? container.slice(project.length + 1) : container;
}

/**
 * Formats log lines as compose does (`web-1  | hello`), one colour per container, the prefix column
 * as wide as the widest name seen so far.
 */
export function logFormatter(f: LogFormat, known: string[] = []): (line: LogLine) => string {
  const colours = new Map<string, number>();
  let width = Math.max(0, ...known.map((n) => shortName(f.project, n).length));
  return (l) => {
    const name = shortName(f.project, l.container);
    if (!colours.has(name)) colours.set(name, colours.size);
    width = Math.max(width, name.length);
    const time = f.timestamps ? `${l.time} ` : '';
    const text = l.line.replace(/\r?\n$/, '');
    if (!f.prefix) return `${time}${text}`;
    return `${f.palette.rotate(colours.get(name) ?? 0, `${name.padEnd(width)}  |`)} ${time}${text}`;
  };
}
