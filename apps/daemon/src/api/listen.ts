/**
 * Puts the server on its address. For a unix socket: make the directory, replace a stale socket left by a
 * dead daemon but refuse when another daemon answers on it, create the socket under a strict umask (no
 * window where it is world-writable), then set 0600 (or 0660 + group).
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ListenAddress } from '../config/settings.js';

export class ListenError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ListenError';
    this.code = code;
  }
}

export interface Listening {
  /** `unix:///run/orc/orc.sock` or `tcp://127.0.0.1:7323` (with the real port). */
  url: string;
  /** Removes the socket file if it is still the one we made. */
  cleanup(): void;
}

export async function listenOn(
  app: FastifyInstance,
  address: ListenAddress,
  opts: { socketGroup?: string } = {},
): Promise<Listening> {
  if (address.kind === 'tcp') {
    await app.listen({ host: address.host, port: address.port });
    const bound = app.server.address();
    const port = typeof bound === 'object' && bound ? bound.port : address.port;
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    return { url: `tcp://${host}:${port}`, cleanup: () => undefined };
  }
  const path = address.path;
  mkdirSync(dirname(path), { recursive: true, mode: opts.socketGroup ? 0o750 : 0o700 });
  await clearStaleSocket(path);
  const gid = opts.socketGroup ? resolveGroup(opts.socketGroup) : undefined;
  const previous = process.umask(0o177);
  try {
    await app.listen({ path });
  } finally {
    process.umask(previous);
  }
  if (gid !== undefined) {
    chownSync(path, -1, gid);
    chmodSync(path, 0o660);
  } else {
    chmodSync(path, 0o600);
  }
  const inode = statSync(path).ino;
  return {
    url: `unix://${path}`,
    cleanup: () => {
      try {
        if (statSync(path).ino === inode) unlinkSync(path);
      } catch {
        // Already gone: nothing to clean.
      }
    },
  };
}

/** Removes a socket nobody answers on; refuses when it is not a socket or a daemon answers. */
export async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) {
    throw new ListenError(
      'SOCKET_PATH_TAKEN',
      `${path} exists and is not a socket; remove it or choose another ORC_HOST`,
    );
  }
  if (await answers(path)) {
    throw new ListenError(
      'DAEMON_RUNNING',
      `another orc daemon answers on ${path}; stop it first (or choose another ORC_HOST)`,
    );
  }
  unlinkSync(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(2000, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Group name or number → gid (Node has no getgrnam; /etc/group is what it would read). */
export function resolveGroup(group: string, groupFile = '/etc/group'): number {
  if (/^\d+$/.test(group)) return Number(group);
  let text = '';
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    // Fall through to the error below.
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid && /^\d+$/.test(gid)) return Number(gid);
  }
  throw new ListenError('UNKNOWN_GROUP', `no group named "${group}" (for --socket-group)`);
}
