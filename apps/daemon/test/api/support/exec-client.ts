/** A minimal exec client over the daemon's `Upgrade: tcp` framing, as the CLI would write one. */
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { createFrameDecoder, encodeFrame } from '../../../src/contract/frames.js';

export interface ExecResult {
  status: number;
  stdout: string;
  stderr: string;
  exitCode?: number;
  error?: string;
  /** The JSON error body when the daemon refused before upgrading. */
  body?: string;
}

export function execOverSocket(
  socketPath: string,
  project: string,
  body: Record<string, unknown>,
  input?: (send: (type: number, payload: string) => void) => void,
  /** The upgrade route: `exec`, or `run` (an attached one-off). */
  route: 'exec' | 'run' = 'exec',
  /** Sees the stdout so far after each frame, with the socket (a test may cut it). */
  onOutput?: (stdout: string, socket: Duplex) => void,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request({
      socketPath,
      method: 'POST',
      path: `/v1/projects/${encodeURIComponent(project)}/${route}`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, stdout: '', stderr: '', body: text }));
    });
    req.on('upgrade', (res, socket: Duplex, head: Buffer) => {
      const result: ExecResult = { status: res.statusCode ?? 0, stdout: '', stderr: '' };
      const decoder = createFrameDecoder();
      const onData = (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          const text = frame.payload.toString('utf8');
          if (frame.type === 1) result.stdout += text;
          else if (frame.type === 2) result.stderr += text;
          else if (frame.type === 3) result.exitCode = (JSON.parse(text) as { exitCode: number }).exitCode;
          else if (frame.type === 4) result.error = text;
        }
        onOutput?.(result.stdout, socket);
      };
      if (head.length) onData(head);
      socket.on('data', onData);
      socket.on('end', () => resolve(result));
      socket.on('close', () => resolve(result));
      socket.on('error', reject);
      input?.((type, data) => socket.write(encodeFrame(type, data)));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
