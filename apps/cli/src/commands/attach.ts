import type { Api } from '../client/api.js';
import { ApiError } from '../client/http.js';
import type { Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { logFormatter, shortName } from '../render/logs.js';
import { followOperation } from '../render/operation.js';
import type { ExitFeed } from './up-exits.js';

/** How an attached `up` follows and ends (compose v2's `up` flags for CI and scripts). */
export interface AttachOptions {
  /** Services named on the command line: what a stop (Ctrl-C, abort) covers; empty = the project. */
  services: string[];
  /** Whose logs and exits are followed (`--attach`, `--no-attach`); see `attachedServices`. */
  attached: (service: string) => boolean;
  /** The services whose logs to ask the daemon for (a superset of the attached ones); empty = all. */
  logServices: string[];
  timeoutSeconds?: number;
  /** `--abort-on-container-exit`: the first attached container to exit stops them all. */
  abortOnExit?: boolean;
  /** `--abort-on-container-failure`: the first attached container to exit non-zero stops them all. */
  abortOnFailure?: boolean;
  /**
   * `--exit-code-from`: the exit code is this service's container's (implies `abortOnExit` unless
   * `abortOnFailure`, as compose).
   */
  exitCodeFrom?: string;
  /** The engine's `die` events (opened before `up`): exits the poll would miss (a restart policy). */
  exits?: ExitFeed;
  timestamps?: boolean;
  /** False for `--no-log-prefix`. */
  prefix?: boolean;
  /** False for `--no-color`: prefixes without their colours (progress keeps `--ansi`). */
  color?: boolean;
}

/**
 * Which services an attached `up` follows, as compose decides: `--attach` names them (absent: the
 * services on the command line, or all); `--no-attach` removes some.
 */
export function attachedServices(
  services: string[],
  attach: string[] | undefined,
  noAttach: string[] | undefined,
): (service: string) => boolean {
  const only = attach?.length ? new Set(attach) : services.length ? new Set(services) : undefined;
  const left = new Set(noAttach ?? []);
  return (service) => (!only || only.has(service)) && !left.has(service);
}

/**
 * Attached `up`: follows the services' logs with coloured prefixes until they end. Ctrl-C stops the
 * services like compose (`Gracefully stopping...`); a second Ctrl-C kills them. With `abortOnExit`, the
 * first exit stops them all (`Aborting on container exit...`). Resolves to the exit code for the shell.
 */
export async function attachLogs(
  ctx: Context,
  client: Api,
  project: string,
  since: string,
  o: AttachOptions,
): Promise<number> {
  const { services, timeoutSeconds } = o;
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
  // compose: the first exit decides the code unless --exit-code-from names the service that does.
  let exitCodeFrom = o.exitCodeFrom;
  let exitCode = 0;
  // compose: --exit-code-from implies --abort-on-container-exit unless --abort-on-container-failure.
  const abortOnAny = o.abortOnExit === true || (o.exitCodeFrom !== undefined && !o.abortOnFailure);
  const abort = abortOnAny || o.abortOnFailure === true;
  const onAbort = () => {
    ctx.stderr.write('Aborting on container exit...\n');
    const body = {
      ...(services.length ? { services } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    };
    stopping = client.action(target, 'stop', body).then((op) => followOperation(ctx, client, op, 'Stopping'));
    thenStopFollowing(stopping).catch(() => undefined);
  };
  try {
    const known = await client
      .getProject(project)
      .then((p) => p.containers.filter((c) => o.attached(c.Service)).map((c) => c.Name))
      .catch(() => []);
    const palette = o.color === false ? { ...ctx.out, rotate: (_n: number, s: string) => s } : ctx.out;
    const format = logFormatter(
      { project, prefix: o.prefix !== false, timestamps: o.timestamps === true, palette },
      known,
    );
    const attached = known.map((n) => shortName(project, n)).sort();
    if (attached.length) ctx.stdout.write(`Attaching to ${attached.join(', ')}\n`);
    const query = {
      follow: true,
      since,
      ...(o.logServices.length ? { services: o.logServices } : {}),
      ...(o.timestamps ? { timestamps: true } : {}),
    };
    // Like compose: once every attached container has exited (and none restarts), we are done.
    const exits = watchExits(
      client,
      project,
      o.attached,
      (name, code, service) => {
        const triggers = abortOnAny || (o.abortOnFailure === true && code !== 0);
        if (abort && interrupts === 0) {
          if (triggers) exitCodeFrom ??= service;
          // Exits while aborting count too: `--exit-code-from web` after `tests` ended reports web's stop.
          if (service === exitCodeFrom) exitCode = code;
        }
        if (stopping) return;
        ctx.stdout.write(`${name} exited with code ${code}\n`);
        if (triggers) onAbort();
      },
      o.exits,
    );
    exits.allExited.then(() => {
      if (!stopping) setTimeout(() => stopLogs.abort(), 500).unref();
    });
    try {
      for await (const line of client.logs(project, query, stopLogs.signal)) {
        if (o.attached(line.service)) ctx.stdout.write(`${format(line)}\n`);
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
      if (interrupts > 0) throw new CliError('', ExitCode.interrupted);
      if (exitCodeFrom !== undefined) exitCode = await finalExitCode(client, project, exitCodeFrom, exitCode);
    }
    return exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/**
 * The exit code of `service` once the abort's stop is done: the poll may have stopped following before
 * the stopped containers were seen exited. A non-zero code among its containers wins.
 */
async function finalExitCode(client: Api, project: string, service: string, seen: number): Promise<number> {
  const summary = await client.getProject(project).catch(() => undefined);
  const ended = (summary?.containers ?? []).filter((c) => c.Service === service && !ALIVE.has(c.State));
  if (!ended.length) return seen;
  return ended.find((c) => c.ExitCode !== 0)?.ExitCode ?? 0;
}

const ALIVE = new Set(['running', 'restarting', 'paused', 'created']);

/**
 * Reports the attached containers' exits: each `die` the engine reports (through `feed`), and what a poll of
 * the project's states (once a second) finds exited that no event reported (events are lossy). Resolves
 * `allExited` when none of them is alive any more.
 */
export function watchExits(
  client: Api,
  project: string,
  watched: (service: string) => boolean,
  onExit: (shortName: string, exitCode: number, service: string) => void,
  feed?: ExitFeed,
): { allExited: Promise<void>; stop(): void } {
  // Who reported a container's current exit: the poll's report is not repeated by the event behind it.
  const reported = new Map<string, 'poll' | 'event'>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  feed?.follow(project, (e) => {
    if (stopped || !watched(e.service)) return;
    if (reported.get(e.container) === 'poll') {
      reported.set(e.container, 'event');
      return;
    }
    reported.set(e.container, 'event');
    onExit(shortName(project, e.container), e.exitCode, e.service);
  });
  const allExited = new Promise<void>((resolve) => {
    const poll = async () => {
      const summary = await client.getProject(project).catch(() => undefined);
      if (stopped) return;
      const mine = (summary?.containers ?? []).filter((c) => watched(c.Service));
      for (const c of mine) {
        if (ALIVE.has(c.State)) reported.delete(c.Name);
        else if (!reported.has(c.Name)) {
          reported.set(c.Name, 'poll');
          onExit(shortName(project, c.Name), c.ExitCode, c.Service);
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
