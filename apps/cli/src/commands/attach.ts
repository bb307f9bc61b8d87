import type { Api } from '../client/api.js';
import { ApiError } from '../client/http.js';
import type { Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { logFormatter, shortName } from '../render/logs.js';
import { followOperation } from '../render/operation.js';

/**
 * Attached `up`: follows the services' logs with coloured prefixes until they end. Ctrl-C stops the
 * services like compose (`Gracefully stopping...`); a second Ctrl-C kills them.
 */
export async function attachLogs(
  ctx: Context,
  client: Api,
  project: string,
  services: string[],
  since: string,
  timeoutSeconds: number | undefined,
): Promise<void> {
  const stopLogs = new AbortController();
  let stopping: Promise<unknown> | undefined;
  let interrupts = 0;
  const target = { name: project };
  // Output written while stopping still shows (a service saying goodbye); a moment after the stop
  // finishes, we stop following.
  const thenStopFollowing = (p: Promise<unknown>) =>
    p.finally(() => setTimeout(() => stopLogs.abort(), 1000).unref());
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      ctx.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      const body = {
        ...(services.length ? { services } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      };
      stopping = client
        .action(target, 'stop', body)
        .then((op) => followOperation(ctx, client, op, 'Stopping'));
      thenStopFollowing(stopping).catch(() => undefined);
      return;
    }
    if (interrupts > 2) {
      // The daemon finishes what it was asked on its own; the user wants the prompt back.
      process.exit(ExitCode.interrupted);
    }
    // The daemon runs one operation per project at a time: the kill is queued behind the graceful stop
    // (which the engine ends with SIGKILL after the grace period anyway).
    ctx.stderr.write('Killing... (after the stop under way; press Ctrl+C again to leave it to the daemon)\n');
    const graceful = stopping;
    stopping = client
      .action(target, 'kill', services.length ? { services } : {})
      .then((op) => followOperation(ctx, client, op, 'Killing'))
      .catch((err: unknown) => {
        if (!(err instanceof ApiError && err.status === 409)) throw err;
        // One operation per project at a time: the graceful stop still runs (the engine kills
        // after the grace period). Wait for it, or leave it to the daemon with a third Ctrl-C.
        ctx.stderr.write(
          'the daemon is still stopping the services (they are killed after their stop_grace_period); press Ctrl+C again to leave that to the daemon\n',
        );
        return graceful;
      });
    // Awaited below; marked handled so that a failure is reported there, not as an unhandled rejection.
    stopping.catch(() => undefined);
    stopLogs.abort();
  };
  // SIGTERM (a CI runner cancelling the job, `timeout`, a supervisor) stops the services as Ctrl-C does,
  // and ends with the same 130, as compose does: an abandoned run must not look like a finished one.
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const known = await client
      .getProject(project)
      .then((p) => p.containers.map((c) => c.Name))
      .catch(() => []);
    const format = logFormatter({ project, prefix: true, timestamps: false, palette: ctx.out }, known);
    const attached = known
      .filter((n) => services.length === 0 || services.some((s) => n.startsWith(`${project}-${s}-`)))
      .map((n) => shortName(project, n))
      .sort();
    if (attached.length) ctx.stdout.write(`Attaching to ${attached.join(', ')}\n`);
    const query = { follow: true, since, ...(services.length ? { services } : {}) };
    // Like compose: once every attached container has exited (and none restarts), we are done.
    const exits = watchExits(client, project, services, (name, code) => {
      if (!stopping) ctx.stdout.write(`${name} exited with code ${code}\n`);
    });
    exits.allExited.then(() => {
      if (!stopping) setTimeout(() => stopLogs.abort(), 500).unref();
    });
    try {
      for await (const line of client.logs(project, query, stopLogs.signal)) {
        ctx.stdout.write(`${format(line)}\n`);
      }
    } finally {
      exits.stop();
    }
    if (stopping) {
      // A second Ctrl-C replaces `stopping`: wait until whichever is current settles.
      let current: Promise<unknown> | undefined;
      while (current !== stopping) {
        current = stopping;
        await current;
      }
      throw new CliError('', ExitCode.interrupted);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

const ALIVE = new Set(['running', 'restarting', 'paused', 'created']);

/**
 * Polls the project (once a second) for the attached containers' states: reports each exit once, and
 * resolves `allExited` when none of them is alive any more.
 */
export function watchExits(
  client: Api,
  project: string,
  services: string[],
  onExit: (shortName: string, exitCode: number) => void,
): { allExited: Promise<void>; stop(): void } {
  const reported = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const allExited = new Promise<void>((resolve) => {
    const poll = async () => {
      const summary = await client.getProject(project).catch(() => undefined);
      if (stopped) return;
      const mine = (summary?.containers ?? []).filter(
        (c) => services.length === 0 || services.includes(c.Service),
      );
      for (const c of mine) {
        if (ALIVE.has(c.State)) reported.delete(c.Name);
        else if (!reported.has(c.Name)) {
          reported.add(c.Name);
          onExit(shortName(project, c.Name), c.ExitCode);
        }
      }
      if (summary && mine.length > 0 && mine.every((c) => !ALIVE.has(c.State))) {
        resolve();
        return;
      }
      timer = setTimeout(poll, 1000);
      timer.unref();
    };
    timer = setTimeout(poll, 1000);
    timer.unref();
  });
  return {
    allExited,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
