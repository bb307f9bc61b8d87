/**
 * `orc exec` over the daemon's upgraded connection (docs/api.md, "Exec"): 8-byte headers
 * `[type, 0, 0, 0, size uint32 BE]` in both directions.
 */
import type { Socket } from 'node:net';
import { encodeFrame, FrameType as Frame, frameReader } from '@orc/daemon/frames';
import type { DaemonAddress } from './address.js';
import { ApiError, send } from './http.js';
import type { AttachRequest, ExecRequest, RunRequest } from './types.js';

export { encodeFrame, FrameType as Frame, frameReader } from '@orc/daemon/frames';
export type { ExecRequest, RunRequest } from './types.js';

export interface ExecIo {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Called to subscribe to terminal resizes; returns the unsubscribe. */
  onResize?: (send: (rows: number, cols: number) => void) => () => void;
}

/** `onResize` for a terminal: forwards each resize of `out` that has a size. */
export function followResize(out: NodeJS.WriteStream): NonNullable<ExecIo['onResize']> {
  return (send) => {
    const onResize = () => {
      if (out.rows > 0 && out.columns > 0) send(out.rows, out.columns);
    };
    out.on('resize', onResize);
    return () => out.off('resize', onResize);
  };
}

/** Runs the exec and resolves with the command's exit code. */
export function execute(
  address: DaemonAddress,
  name: string,
  req: ExecRequest | RunRequest | AttachRequest,
  io: ExecIo,
  /** `run`: an attached one-off container; `attach`: a running service container; same framing. */
  route: 'exec' | 'run' | 'attach' = 'exec',
): Promise<number> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    const path = `/v1/projects/${encodeURIComponent(name)}/${route}`;
    const upgradeRequest = send(address, 'POST', path, {
      body: req,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
      onUpgrade: (s, head) => {
        socket = s;
        let exitCode: number | undefined;
        const read = frameReader((type, payload) => {
          if (type === Frame.stdout) io.stdout.write(payload);
          else if (type === Frame.stderr) io.stderr.write(payload);
          else if (type === Frame.exit) exitCode = Number(JSON.parse(payload.toString('utf8')).exitCode);
          else if (type === Frame.error) {
            const err = JSON.parse(payload.toString('utf8')) as { code?: string; message?: string };
            reject(new ApiError(500, err, err.message ?? 'exec failed'));
          }
        });
        if (head.length) read(head);
        s.on('data', read);
        const stopResize = io.onResize?.((rows, cols) =>
          s.write(encodeFrame(Frame.resize, JSON.stringify({ rows, cols }))),
        );
        if (io.stdin) {
          io.stdin.on('data', (chunk: Buffer | string) => {
            if (!s.destroyed)
              s.write(encodeFrame(Frame.stdin, typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
          });
          io.stdin.on('end', () => {
            if (!s.destroyed) s.write(encodeFrame(Frame.stdinClose));
          });
        } else {
          s.write(encodeFrame(Frame.stdinClose));
        }
        s.on('close', () => {
          stopResize?.();
          if (exitCode !== undefined) resolve(exitCode);
          else reject(new ApiError(500, undefined, 'the exec connection closed before the command finished'));
        });
        s.on('error', () => undefined);
      },
    });
    // A non-upgrade answer is an error response (unknown service, bad body, ...).
    upgradeRequest.then(
      async (res) => {
        if (socket) return;
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        const message =
          body && typeof body === 'object' && 'message' in body
            ? String(body.message)
            : `exec answered ${res.statusCode}`;
        reject(new ApiError(res.statusCode ?? 0, body, message));
      },
      (err: unknown) => {
        if (!socket) reject(err);
      },
    );
  });
}
