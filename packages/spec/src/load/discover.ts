import { dirname, join, resolve } from 'node:path';
import { isFile } from './files.js';

export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

export interface Discovered {
  files: string[];
  /** Other candidates found beside the chosen one (compose warns about them). */
  ignored: string[];
}

/**
 * Searches `start` and its parents for a compose file, as compose does; adds the matching
 * `*.override.yaml|yml` from the same directory.
 */
export function discoverComposeFiles(
  start: string,
  exists: (p: string) => boolean = isFile,
): Discovered | undefined {
  let dir = resolve(start);
  for (;;) {
    const found = COMPOSE_FILE_NAMES.map((n) => join(dir, n)).filter(exists);
    const chosen = found[0];
    if (chosen) {
      const stem = chosen.endsWith('.yaml') ? chosen.slice(0, -5) : chosen.slice(0, -4);
      const override = [`${stem}.override.yaml`, `${stem}.override.yml`].find(exists);
      return { files: override ? [chosen, override] : [chosen], ignored: found.slice(1) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `COMPOSE_FILE` split with `COMPOSE_PATH_SEPARATOR` (default `:`). */
export function splitComposeFileVar(value: string, separator?: string): string[] {
  return value
    .split(separator && separator !== '' ? separator : ':')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
