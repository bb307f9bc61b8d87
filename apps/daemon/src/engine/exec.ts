import { type Duplex, PassThrough } from 'node:stream';
import type { ExecOptions } from '../contract/types.js';
import { dial } from './dial.js';
import type { Engine } from './engine.js';
import { mapEngineError } from './errors.js';

/**
 * Starts a process in a running container through the engine's exec API and hands back the hijacked
 * connection: stdin in; stdout/stderr out (multiplexed by the engine unless tty).
 */
/** An exec (or attached one-off) as the API streams it. */
export interface ExecSession {
  /** Raw stream: stdin goes in; out comes stdout (and stderr, multiplexed by the engine unless tty). */
  stream: NodeJS.ReadWriteStream;
  tty: boolean;
  resize(rows: number, cols: number): Promise<void>;
  /** Exit code once the process ends. */
  exitCode(): Promise<number>;
}

export async function openExec(engine: Engine, containerId: string, o: ExecOptions): Promise<ExecSession> {
  if (o.detach) return startDetached(engine, containerId, o);
  const tty = o.tty ?? false;
  const what = `exec in container ${containerId.slice(0, 12)}`;
  let execId: string;
  try {
    const created = await dial<{ Id: string }>(engine.docker, {
      path: `/containers/${encodeURIComponent(containerId)}/exec`,
      method: 'POST',
      body: createBody(o, tty, true),
    });
    execId = created.Id;
  } catch (err) {
    throw mapEngineError(err, what);
  }
  let stream: Duplex;
  try {
    stream = await dial<Duplex>(engine.docker, {
      path: `/exec/${execId}/start`,
      method: 'POST',
      body: { Detach: false, Tty: tty },
      isStream: true,
      hijack: true,
      openStdin: o.interactive ?? false,
    });
  } catch (err) {
    throw mapEngineError(err, what);
  }
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return {
    stream,
    tty,
    async resize(rows, cols) {
      try {
        await dial(engine.docker, {
          path: `/exec/${execId}/resize`,
          method: 'POST',
          query: { h: rows, w: cols },
        });
      } catch (err) {
        throw mapEngineError(err, what);
      }
    },
    async exitCode() {
      await ended;
      // The stream can end a moment before the engine records the exit.
      for (let i = 0; i < 50; i++) {
        const info = await dial<{ Running: boolean; ExitCode: number | null }>(engine.docker, {
          path: `/exec/${execId}/json`,
          method: 'GET',
        });
        if (!info.Running && info.ExitCode !== null) return info.ExitCode;
        await new Promise((r) => setTimeout(r, 20));
      }
      return -1;
    },
  };
}

function createBody(o: ExecOptions, tty: boolean, attach: boolean): Record<string, unknown> {
  return {
    AttachStdin: attach && (o.interactive ?? false),
    AttachStdout: attach,
    AttachStderr: attach,
    Tty: tty,
    Cmd: o.cmd,
    ...(o.env?.length ? { Env: o.env } : {}),
    ...(o.user ? { User: o.user } : {}),
    ...(o.workdir ? { WorkingDir: o.workdir } : {}),
    ...(o.privileged ? { Privileged: true } : {}),
  };
}

/**
 * `exec -d`: the engine starts the process and answers at once (as `docker exec -d`); nothing is attached,
 * so the session is an empty stream whose exit code is 0, the start having succeeded.
 */
async function startDetached(engine: Engine, containerId: string, o: ExecOptions): Promise<ExecSession> {
  const what = `exec in container ${containerId.slice(0, 12)}`;
  try {
    const created = await dial<{ Id: string }>(engine.docker, {
      path: `/containers/${encodeURIComponent(containerId)}/exec`,
      method: 'POST',
      body: createBody(o, o.tty ?? false, false),
    });
    await dial(engine.docker, {
      path: `/exec/${created.Id}/start`,
      method: 'POST',
      body: { Detach: true, Tty: o.tty ?? false },
    });
  } catch (err) {
    throw mapEngineError(err, what);
  }
  const stream = new PassThrough();
  stream.end();
  return { stream, tty: false, resize: async () => undefined, exitCode: async () => 0 };
}
