/**
 * The daemon's own log: pino JSON lines, to stderr or to a file rotated by pino-roll (in-process, no worker
 * thread, so it also works inside the bundled `orc` CLI). Secrets are redacted by path: tokens,
 * Authorization headers, and every `env` map a client sends.
 */

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/settings.js';
import { deferCommonJs } from '../contract/lazy-cjs.js';

export interface DaemonLogOptions {
  level: LogLevel;
  /** Absent = stderr. */
  file?: string;
  /** pino-roll size, e.g. `10m`. */
  size?: string;
  /** Rotated files kept besides the current one. */
  keep?: number;
}

export interface DaemonLog {
  logger: Logger;
  /** SIGHUP: reopen the file (after an external logrotate, or if it was deleted). */
  reopen(): void;
  /** Flush and close. */
  close(): Promise<void>;
}

/** Paths whose values are replaced by `[redacted]`, wherever a request, body or error is logged. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'env',
  '*.env',
  '*.*.env',
  'source.env',
  '*.source.env',
  '*.*.source.env',
  'body.source.env',
  'environment',
  '*.environment',
  '*.*.environment',
  'secrets',
  '*.secrets',
  'content',
  '*.content',
];

interface Reopenable extends DestinationStream {
  reopen(file?: string): void;
  end(): void;
  flushSync?(): void;
  once(event: string, listener: () => void): unknown;
}

export async function createDaemonLog(opts: DaemonLogOptions): Promise<DaemonLog> {
  const base = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!opts.file) {
    const dest = pino.destination({ dest: 2, sync: true });
    return {
      logger: pino(base, dest),
      reopen: () => undefined,
      close: async () => dest.flushSync(),
    };
  }
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o750 });
  const pinoRoll = await loadPinoRoll();
  // `daemon.log` becomes `daemon.1.log`, `daemon.2.log`, ...; `current.log` points at the one in use.
  const dest = (await pinoRoll({
    file: opts.file,
    size: opts.size ?? '10m',
    limit: { count: opts.keep ?? 5 },
    symlink: true,
    mkdir: true,
    mode: 0o600,
  })) as unknown as Reopenable;
  return {
    logger: pino(base, dest),
    reopen: () => dest.reopen(),
    close: () =>
      new Promise<void>((resolve) => {
        dest.once('close', () => resolve());
        dest.end();
      }),
  };
}

/**
 * pino-roll, only for a daemon that logs to a file, and without loading all of date-fns (~300 modules,
 * ~10 MB of an idle daemon's RSS) for the five functions it takes from it: they serve time-based rotation
 * and date-stamped names, which orc does not use (it rotates by size), so date-fns loads on first call.
 */
async function loadPinoRoll(): Promise<typeof import('pino-roll').default> {
  const req = createRequire(import.meta.url);
  deferCommonJs(req.resolve('pino-roll'), 'date-fns', ['format', 'addDays', 'addHours', 'parse', 'isValid']);
  return (await import('pino-roll')).default;
}
