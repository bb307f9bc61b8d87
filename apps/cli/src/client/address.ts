import { join } from 'node:path';
import { usageError } from '../errors.js';

/** Where the daemon listens, as ORC_HOST says (or the per-user default). */
export type DaemonAddress =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; token?: string; display: string };

export interface AddressEnv {
  ORC_HOST?: string;
  ORC_TOKEN?: string;
  XDG_RUNTIME_DIR?: string;
}

/**
 * The daemon's default (apps/daemon/src/config/settings.ts): `/run/orc/orc.sock` for root,
 * `$XDG_RUNTIME_DIR/orc/orc.sock` otherwise (`/tmp/orc-<uid>` standing in for the runtime dir).
 */
export function defaultSocketPath(uid: number, env: AddressEnv): string {
  if (uid === 0) return '/run/orc/orc.sock';
  return join(env.XDG_RUNTIME_DIR || `/tmp/orc-${uid}`, 'orc', 'orc.sock');
}

export function resolveAddress(env: AddressEnv, uid: number): DaemonAddress {
  const raw = env.ORC_HOST?.trim();
  if (!raw) {
    const socketPath = defaultSocketPath(uid, env);
    return { kind: 'unix', socketPath, display: `unix://${socketPath}` };
  }
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      throw usageError(
        `ORC_HOST=${raw}: the socket path must be absolute`,
        'e.g. ORC_HOST=unix:///run/orc/orc.sock',
      );
    }
    return { kind: 'unix', socketPath, display: raw };
  }
  if (raw.startsWith('tcp://')) {
    const match = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(raw);
    const port = Number(match?.[2]);
    if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw usageError(`ORC_HOST=${raw}: expected tcp://HOST:PORT`, 'e.g. ORC_HOST=tcp://127.0.0.1:7420');
    }
    const host = match[1].replace(/^\[|\]$/g, '');
    const token = env.ORC_TOKEN || undefined;
    return { kind: 'tcp', host, port, display: raw, ...(token ? { token } : {}) };
  }
  throw usageError(
    `ORC_HOST=${raw}: unsupported address`,
    'use unix:///path/to/orc.sock or tcp://127.0.0.1:PORT (with ORC_TOKEN)',
  );
}
