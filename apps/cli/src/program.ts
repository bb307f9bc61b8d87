import { Command, CommanderError } from 'commander';
import { registerAttachService } from './commands/attach-service.js';
import { registerBuild } from './commands/build.js';
import { registerCommit } from './commands/commit.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerCp } from './commands/cp.js';
import { registerDaemon } from './commands/daemon.js';
import { registerDown } from './commands/down.js';
import { registerEvents } from './commands/events.js';
import { registerExec } from './commands/exec.js';
import { registerExport } from './commands/export.js';
import { registerImages } from './commands/images.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerLogs } from './commands/logs.js';
import { registerLs } from './commands/ls.js';
import { registerPlugin } from './commands/plugin.js';
import { registerPort } from './commands/port.js';
import { registerPs } from './commands/ps.js';
import { registerPush } from './commands/push.js';
import { registerRun } from './commands/run.js';
import { registerStats } from './commands/stats.js';
import { registerTop } from './commands/top.js';
import { registerUnsupported } from './commands/unsupported.js';
import { registerCreate, registerUp } from './commands/up.js';
import { registerVersion } from './commands/version.js';
import { registerVolumes } from './commands/volumes.js';
import { registerWait } from './commands/wait.js';
import { registerWatch } from './commands/watch.js';
import { reportFailure } from './context.js';
import { ExitCode } from './errors.js';
import { addGlobalOptions } from './global-flags.js';
import { GLOBALS } from './globals.js';
import { version } from './version.js';

/** Commands that take no project flags. */
const WITHOUT_PROJECT = new Set([
  'daemon',
  'completion',
  'version',
  'ls',
  'install-plugin',
  'uninstall-plugin',
]);

/** Global flags that take their value as the next argument (`-p NAME`). */
const VALUE_FLAGS = new Set(
  GLOBALS.filter(([, long]) => long.includes('<')).flatMap(([short, long]) => [
    ...(short ? [short] : []),
    long.split(' ')[0] as string,
  ]),
);

/**
 * The command a command line names (the first argument that is neither a global flag nor its value),
 * or undefined. Only the hot commands are built alone (`ONE`): building all ~40 of commander's commands
 * costs every run a few ms (issue 17, items 2 and 6: `up -d` and `ps` at node's start-up).
 */
export function commandNamed(argv: string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return undefined;
    if (!arg.startsWith('-')) return arg;
    if (!arg.includes('=') && VALUE_FLAGS.has(arg)) i++;
  }
  return undefined;
}

const ONE: Record<string, (program: Command) => Command> = {
  up: registerUp,
  create: registerCreate,
  ps: registerPs,
  down: registerDown,
};

export function buildProgram(only?: string): Command {
  const program = new Command('orc')
    .description('orc: a Compose-compatible orchestrator that keeps your stacks converged')
    .usage('[options] <command> [args]')
    // Global flags go before or after the command; a command's own short flags (down -v) win after it.
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp({
      showGlobalOptions: true,
      // Under a command, list the project flags as that command takes them: its (hidden) copies, which
      // leave out a short flag the command uses itself (`logs -f` follows; `--file` still works).
      visibleGlobalOptions(cmd) {
        const copies = cmd.options.filter((o) => o.hidden);
        return copies.length ? copies : [];
      },
    })
    .addHelpText(
      'after',
      `
Environment:
  ORC_HOST           daemon address: unix:///path/orc.sock (default /run/orc/orc.sock for root,
                     $XDG_RUNTIME_DIR/orc/orc.sock otherwise) or tcp://127.0.0.1:PORT
  ORC_TOKEN          bearer token for a tcp:// daemon
  ORC_STATE_DIR      state directory of a daemon orc starts for you
  ORC_NO_AUTOSTART   set to 1: never start a daemon, fail with exit code 3 instead

Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 daemon unreachable, 130 interrupted;
exec, attached run and up --exit-code-from: the container's own exit code.`,
    );
  addGlobalOptions(program, false);
  program.version(version, '-v, --version', 'print the orc version');

  const one = only === undefined ? undefined : ONE[only];
  if (one) one(program);
  else registerAll(program);
  for (const cmd of program.commands) {
    if (!WITHOUT_PROJECT.has(cmd.name())) addGlobalOptions(cmd, true);
  }
  return program;
}

function registerAll(program: Command): void {
  registerUp(program);
  registerCreate(program);
  registerDown(program);
  registerPs(program);
  registerLogs(program);
  registerLifecycle(program);
  registerExec(program);
  registerConfig(program);
  registerLs(program);
  registerEvents(program);
  registerPort(program);
  registerImages(program);
  registerBuild(program);
  registerRun(program);
  registerTop(program);
  registerStats(program);
  registerCp(program);
  registerExport(program);
  registerVolumes(program);
  registerCommit(program);
  registerPush(program);
  registerAttachService(program);
  registerWait(program);
  registerWatch(program);
  registerUnsupported(program);
  registerVersion(program);
  registerCompletion(program);
  registerDaemon(program);
  registerPlugin(program);
}

export function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (or the help / version).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  return reportFailure(err, debug);
}
