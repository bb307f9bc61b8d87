import { Command, CommanderError } from 'commander';
import { registerDown } from './commands/down.js';
import { registerPs } from './commands/ps.js';
import { registerCreate, registerUp } from './commands/up.js';
import { reportFailure } from './context.js';
import { ExitCode } from './errors.js';
import { addGlobalOptions } from './global-flags.js';
import { GLOBALS } from './globals.js';
import { version } from './version.js';

/*
 * The program's frame and its hot commands, without the rest of the command table: `orc ps` and `orc up`
 * load only this module and the modules of their own command (program.ts, with every command and what
 * they import, e.g. node:fs/promises for cp and config, is loaded for the others; issue 17, items 2 and 6).
 */

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
 * or undefined. Only the hot commands are built alone (`ONE`, buildHotProgram): building all ~40 of commander's commands
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

const HELP_AFTER = `
Environment:
  ORC_HOST           daemon address: unix:///path/orc.sock (default /run/orc/orc.sock for root,
                     $XDG_RUNTIME_DIR/orc/orc.sock otherwise) or tcp://127.0.0.1:PORT
  ORC_TOKEN          bearer token for a tcp:// daemon
  ORC_STATE_DIR      state directory of a daemon orc starts for you
  ORC_NO_AUTOSTART   set to 1: never start a daemon, fail with exit code 3 instead

Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 daemon unreachable, 130 interrupted;
exec, attached run and up --exit-code-from: the container's own exit code.`;

const ONE: Record<string, (program: Command) => Command> = {
  up: registerUp,
  create: registerCreate,
  ps: registerPs,
  down: registerDown,
};

/** The program with its global flags and help, and no command yet. */
export function newProgram(): Command {
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
    .addHelpText('after', HELP_AFTER);
  addGlobalOptions(program, false);
  program.version(version, '-v, --version', 'print the orc version');
  return program;
}

/** Gives each registered command that takes project flags its copies of them. */
export function withProjectFlags(program: Command): Command {
  for (const cmd of program.commands) {
    if (!WITHOUT_PROJECT.has(cmd.name())) addGlobalOptions(cmd, true);
  }
  return program;
}

/** The program with only `name`'s command when it is a hot one; undefined otherwise. */
export function buildHotProgram(name: string | undefined): Command | undefined {
  const register = name === undefined ? undefined : ONE[name];
  if (!register) return undefined;
  const program = newProgram();
  register(program);
  return withProjectFlags(program);
}

export function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (or the help / version).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  return reportFailure(err, debug);
}
