import type { Duplex } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OrcError } from '../../contract/errors.js';
import { createFrameDecoder, encodeFrame, FrameType } from '../../contract/frames.js';
import {
  AttachBodySchema,
  ExecBodySchema,
  errorResponses,
  ProjectNameParams,
} from '../../contract/schemas.js';
import type { ExecOptions } from '../../contract/types.js';
import type { ExecSession } from '../../verbs/types.js';
import { type ApiContext, toTarget } from '../context.js';
import { toErrorResponse } from '../errors.js';

export const execRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.post(
    '/projects/:name/exec',
    {
      schema: {
        summary: 'Interactive exec in a service container, over an `Upgrade: tcp` connection',
        description:
          'Send `Connection: Upgrade` and `Upgrade: tcp`. On 101 the socket carries frames ' +
          '`[type,0,0,0,size u32 BE]+payload`: 0 stdin, 1 stdout, 2 stderr, 3 exit {exitCode}, 4 error, ' +
          '5 resize {rows,cols}, 6 stdin EOF. See docs/api.md.',
        tags: ['exec'],
        params: ProjectNameParams,
        body: ExecBodySchema,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const upgrade = String(request.headers.upgrade ?? '').toLowerCase();
      if (upgrade !== 'tcp') {
        throw new OrcError('BAD_REQUEST', 'exec needs "Connection: Upgrade" and "Upgrade: tcp" headers');
      }
      const { source, rows, cols, ...options } = request.body;
      const session = await core.exec(toTarget(request.params.name, source), options as ExecOptions);
      if (rows && cols && session.tty) await session.resize(rows, cols).catch(() => undefined);

      serveSession(request, reply, session, shutdown);
    },
  );

  app.post(
    '/projects/:name/attach',
    {
      schema: {
        summary: "Attach to a running service container's output (and stdin), over `Upgrade: tcp`",
        description:
          'The same frames as exec; the exit frame comes when the container stops. Closing the ' +
          'connection detaches: the container keeps running.',
        tags: ['exec'],
        params: ProjectNameParams,
        body: AttachBodySchema,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      if (String(request.headers.upgrade ?? '').toLowerCase() !== 'tcp') {
        throw new OrcError('BAD_REQUEST', 'attach needs "Connection: Upgrade" and "Upgrade: tcp" headers');
      }
      const { source, service, index, stdin, rows, cols } = request.body;
      const session = await core.attach(toTarget(request.params.name, source), service, index, stdin);
      if (rows && cols && session.tty) await session.resize(rows, cols).catch(() => undefined);
      serveSession(request, reply, session, shutdown);
    },
  );
};

/** Answers 101 and carries the session's frames on the hijacked socket (exec, and the attached `run`). */
export function serveSession(
  request: FastifyRequest,
  reply: FastifyReply,
  session: ExecSession,
  shutdown: AbortSignal,
): void {
  reply.hijack();
  const socket = request.raw.socket;
  socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  pipeSession(socket, session, (err) => request.log.warn({ err }, 'exec stream failed'));
  // A hijacked socket keeps the server from closing: end the session when the daemon stops.
  const onShutdown = () => {
    if (socket.writable) {
      socket.end(
        encodeFrame(
          FrameType.error,
          JSON.stringify({ code: 'SHUTTING_DOWN', message: 'the orc daemon is stopping' }),
        ),
      );
    }
    setTimeout(() => socket.destroy(), 1000).unref();
  };
  // The daemon may have begun stopping while the exec was being created: an abort listener added now
  // would never fire.
  if (shutdown.aborted) onShutdown();
  else {
    shutdown.addEventListener('abort', onShutdown, { once: true });
    socket.once('close', () => shutdown.removeEventListener('abort', onShutdown));
  }
}

/** Frames the engine's output for the client and the client's frames for the engine, then sends the exit code. */
function pipeSession(socket: Duplex, session: ExecSession, onError: (err: unknown) => void): void {
  const engine = session.stream;
  const fromClient = createFrameDecoder();
  const fromEngine = createFrameDecoder();
  let finished = false;

  const finish = async () => {
    if (finished) return;
    finished = true;
    try {
      const exitCode = await session.exitCode();
      if (socket.writable) socket.write(encodeFrame(FrameType.exit, JSON.stringify({ exitCode })));
    } catch (err) {
      onError(err);
      const { body } = toErrorResponse(err);
      if (socket.writable) socket.write(encodeFrame(FrameType.error, JSON.stringify(body)));
    }
    socket.end();
  };

  engine.on('data', (chunk: Buffer) => {
    if (session.tty) {
      socket.write(encodeFrame(FrameType.stdout, chunk));
      return;
    }
    // Without a tty the engine multiplexes stdout/stderr with the same header: re-frame each part.
    for (const frame of fromEngine.push(chunk)) {
      const type = frame.type === 2 ? FrameType.stderr : FrameType.stdout;
      socket.write(encodeFrame(type, frame.payload));
    }
  });
  engine.on('end', () => void finish());
  engine.on('close', () => void finish());
  engine.on('error', (err) => {
    onError(err);
    void finish();
  });

  socket.on('data', (chunk: Buffer) => {
    let frames: ReturnType<typeof fromClient.push>;
    try {
      frames = fromClient.push(chunk);
    } catch (err) {
      onError(err);
      socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.type === FrameType.stdin) engine.write(frame.payload);
      else if (frame.type === FrameType.stdinClose) engine.end();
      else if (frame.type === FrameType.resize) resize(session, frame.payload, onError);
    }
  });
  // The client went away: the process keeps its stdin closed, like `docker exec` when the terminal dies.
  socket.on('close', () => {
    if (!finished) engine.end();
  });
  socket.on('error', onError);
}

function resize(session: ExecSession, payload: Buffer, onError: (err: unknown) => void): void {
  try {
    const { rows, cols } = JSON.parse(payload.toString('utf8')) as { rows?: unknown; cols?: unknown };
    if (typeof rows === 'number' && typeof cols === 'number' && rows > 0 && cols > 0) {
      session.resize(rows, cols).catch(onError);
    }
  } catch (err) {
    onError(err);
  }
}
