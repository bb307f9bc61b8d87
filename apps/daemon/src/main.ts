/**
 * `orc daemon`: parse settings, open the log, build the core and the API, listen, print one ready line,
 * and shut down cleanly: SIGTERM/SIGINT drain running operations (`core.close()`), SIGHUP reopens the log.
 * Called as `main(argv)` with the arguments after `daemon` (by the CLI, or by a bare node entry).
 */
import { readFileSync, statSync } from 'node:fs';
import { type LogDefaults, ORC_VERSION, type Project, renderConfig } from '@orc/spec';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { clearStaleSocket, ListenError, listenOn, resolveGroup } from './api/listen.js';
import { buildServer, type ServerOptions } from './api/server.js';
import { type Assets, defaultUiDir, loadAssets, UiAssetsError } from './api/ui/assets.js';
import { createSessions } from './api/ui/sessions.js';
import { type DaemonSettings, parseSettings, SettingsError, USAGE } from './config/settings.js';
import { startHeapTrim } from './heap-trim.js';
import { createDaemonLog } from './logs/daemon-log.js';
import { containerLogDefaults } from './supervise/log-defaults.js';
import { createCore } from './verbs/core.js';
import type { Core } from './verbs/types.js';

export interface CoreFactoryOptions {
  settings: DaemonSettings;
  logger: Logger;
}
export type CoreFactory = (opts: CoreFactoryOptions) => Promise<Core>;

/** A second signal while draining exits at once: the operator means it. */
const FORCE_EXIT_CODE = 130;

export async function main(argv: string[]): Promise<void> {
  await runDaemon(argv, loadCore);
}

async function loadCore({ settings, logger }: CoreFactoryOptions): Promise<Core> {
  return createCore({
    stateDir: settings.stateDir,
    parallelism: settings.parallelism,
    ...logDefaults(settings),
    log: {
      info: (msg, fields) => logger.info(fields ?? {}, msg),
      warn: (msg, fields) => logger.warn(fields ?? {}, msg),
      error: (msg, fields) => logger.error(fields ?? {}, msg),
    },
  });
}

/** `--log-driver` / `--log-opt`: the logging of services that set none (kept bounded, see supervise/). */
function logDefaults(settings: DaemonSettings): { defaultLogging?: LogDefaults } {
  const defaults = containerLogDefaults(settings.containerLogDriver, settings.containerLogOptions);
  return defaults ? { defaultLogging: defaults } : {};
}

export async function runDaemon(argv: string[], createCore: CoreFactory): Promise<void> {
  let settings: DaemonSettings | 'help';
  try {
    settings = parseSettings(argv, {
      env: process.env,
      uid: process.getuid?.() ?? -1,
      readFile: (p) => readFileSync(p, 'utf8'),
      fileMode: (p) => statSync(p).mode,
    });
  } catch (err) {
    return fail(err);
  }
  if (settings === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    // Before the core exists: a second daemon must not start supervising the same projects, even briefly.
    if (settings.socketGroup) resolveGroup(settings.socketGroup);
    if (settings.listen.kind === 'unix') await clearStaleSocket(settings.listen.path);
  } catch (err) {
    return fail(err);
  }
  // --ui without its built files is a start-up error, said before anything runs; without --ui they are never read.
  let assets: Assets | undefined;
  try {
    if (settings.ui) assets = loadAssets(settings.uiDir ?? defaultUiDir());
  } catch (err) {
    return fail(err);
  }

  const log = await createDaemonLog({
    level: settings.logLevel,
    ...(settings.logFile ? { file: settings.logFile } : {}),
    size: settings.logSize,
    keep: settings.logKeep,
  });
  const logger = log.logger;
  const shutdown = new AbortController();
  let core: Core | undefined;
  const servers: Array<{ close(): Promise<unknown> }> = [];
  try {
    core = await createCore({ settings, logger });
    const base: ServerOptions = {
      core,
      shutdown: shutdown.signal,
      version: ORC_VERSION,
      renderYaml: (project) => renderConfig(project as Project, { format: 'yaml' }),
      logger: logger as FastifyBaseLogger,
      security: {
        transport: settings.listen.kind,
        ...(settings.token ? { token: settings.token } : {}),
        allowOrigins: settings.allowOrigins,
        allowHosts: settings.allowHosts,
        ...(settings.listen.kind === 'tcp' ? { bindHost: settings.listen.host } : {}),
      },
    };
    // --ui: the page on the TCP listener (ORC_HOST itself, or --ui-listen beside the socket), one session store.
    const sessions = assets ? createSessions() : undefined;
    const withUi = (opts: ServerOptions): ServerOptions =>
      assets && sessions
        ? { ...opts, ui: { assets, sessions }, security: { ...opts.security, ui: { sessions } } }
        : opts;
    const app = await buildServer(settings.listen.kind === 'tcp' ? withUi(base) : base);
    servers.push(app);
    const listening = await listenOn(app, settings.listen, {
      ...(settings.socketGroup ? { socketGroup: settings.socketGroup } : {}),
    });
    const uiListen = settings.uiListen;
    const uiApp = uiListen
      ? await buildServer(
          withUi({ ...base, security: { ...base.security, transport: 'tcp', bindHost: uiListen.host } }),
        )
      : undefined;
    if (uiApp) servers.push(uiApp);
    const uiListening = uiApp && uiListen ? await listenOn(uiApp, { kind: 'tcp', ...uiListen }) : undefined;
    const pageUrl = assets ? (uiListening ?? listening).url.replace(/^tcp:/, 'http:') : undefined;
    // Signal handlers go in as soon as the socket answers: a client (or a test) that sees the socket may send
    // SIGTERM before the engine check below returns, and must get a drained exit, not the default kill.
    const stopped = new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting without draining');
          process.exit(FORCE_EXIT_CODE);
        }
        stopping = true;
        logger.info({ signal }, 'draining operations, then exiting');
        shutdown.abort();
        const closing = core ? core.close() : Promise.resolve();
        // Operations drain first; then connections nobody ends (a hijacked socket a route missed) are cut.
        const cutConnections = () =>
          setTimeout(() => {
            app.server.closeAllConnections();
            uiApp?.server.closeAllConnections();
          }, 5_000).unref();
        closing.then(cutConnections, cutConnections);
        const closingUi = uiApp ? uiApp.close() : Promise.resolve();
        Promise.allSettled([app.close(), closingUi, closing]).then((results) => {
          for (const r of results)
            if (r.status === 'rejected') logger.error({ err: r.reason }, 'error while closing');
          listening.cleanup();
          resolve();
        });
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGHUP', () => {
        log.reopen();
        logger.info('log reopened (SIGHUP)');
      });
    });
    const engine = await core.health().then(
      (h) => `engine ${h.engineVersion}`,
      () => 'engine not reachable yet',
    );
    // Start-up's garbage (module loading, the engine check) and each operation's are given back once quiet.
    const heapTrim = startHeapTrim({
      onTrim: (before, after) => logger.debug({ heapBefore: before, heapAfter: after }, 'heap trimmed'),
    });
    logger.info({ url: listening.url, stateDir: settings.stateDir }, 'orc daemon ready');
    process.stdout.write(`orc daemon ready on ${listening.url} (pid ${process.pid}, ${engine})\n`);
    if (pageUrl) {
      logger.info({ url: `${pageUrl}/` }, 'status page served');
      process.stdout.write(`orc status page on ${pageUrl}/ (log in with the daemon token)\n`);
    }
    await stopped;
    heapTrim.stop();
    logger.info('orc daemon stopped');
    await log.close();
    // Lingering engine connections (keep-alive agents, event streams) must not keep a stopped daemon alive.
    process.exit(process.exitCode ?? 0);
  } catch (err) {
    logger.error({ err }, 'orc daemon failed to start');
    await Promise.allSettled(servers.map((s) => s.close()));
    await core?.close().catch(() => undefined);
    await log.close();
    return fail(err);
  }
}

/** Known start-up problems print their message alone; anything else says it is a bug, still without a stack. */
function fail(err: unknown): void {
  const known = err instanceof SettingsError || err instanceof ListenError || err instanceof UiAssetsError;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`orc daemon: ${known ? message : `failed to start: ${message}`}\n`);
  process.exitCode = known ? 2 : 1;
}
