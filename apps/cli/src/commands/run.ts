import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { type Command, Option } from 'commander';
import { execute, followResize, type RunRequest } from '../client/exec.js';
import { CliError, type ExitCodeValue, usageError } from '../errors.js';
import { handler, repeat } from './util.js';

export interface RunFlags {
  rm?: boolean;
  env?: string[];
  entrypoint?: string;
  detach?: boolean;
  deps: boolean;
  /** `-t` true, `-T` false, neither: a TTY when stdin and stdout are terminals. */
  tty?: boolean;
  /** `--no-TTY` (compose's spelling of `-T`). */
  TTY?: boolean;
  /** `-i` (compose's default: on); `--no-interactive` leaves stdin out. */
  interactive?: boolean;
  build?: boolean;
  pull?: string;
  quietPull?: boolean;
  quiet?: boolean;
  quietBuild?: boolean;
  envFromFile?: string[];
  removeOrphans?: boolean;
  user?: string;
  workdir?: string;
  servicePorts?: boolean;
  publish?: string[];
  name?: string;
  volume?: string[];
  volumes?: string[];
  label?: Record<string, string>;
  labels?: Record<string, string>;
  useAliases?: boolean;
  capAdd?: string[];
  capDrop?: string[];
}

/** `-l KEY=VAL` (repeatable) into `{ KEY: VAL }`; compose refuses a label without `=`. */
export function labelArg(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw usageError(`--label ${value}: label must be set as KEY=VALUE`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** The daemon is not where the user's home is: `~` in a `-v` source is expanded here. */
export function expandHome(spec: string): string {
  return spec === '~' || spec.startsWith('~/') || spec.startsWith('~:')
    ? `${homedir()}${spec.slice(1)}`
    : spec;
}

/** The flags that shape the one-off's container, as the run request carries them (only those given). */
export function containerOptions(f: RunFlags): Partial<RunRequest> {
  const volumes = [...(f.volume ?? []), ...(f.volumes ?? [])];
  const labels = f.label || f.labels ? { ...f.labels, ...f.label } : undefined;
  return {
    ...(f.servicePorts ? { servicePorts: true } : {}),
    ...(f.publish?.length ? { publish: f.publish } : {}),
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(volumes.length ? { volumes: volumes.map(expandHome) } : {}),
    ...(labels ? { labels } : {}),
    ...(f.useAliases ? { useAliases: true } : {}),
    ...(f.capAdd?.length ? { capAdd: f.capAdd } : {}),
    ...(f.capDrop?.length ? { capDrop: f.capDrop } : {}),
    ...(f.build ? { build: true } : {}),
    ...(f.pull ? { pull: f.pull as NonNullable<RunRequest['pull']> } : {}),
    ...(f.removeOrphans ? { removeOrphans: true } : {}),
  };
}

/**
 * `--env-from-file FILE`: `KEY=VALUE` lines (`export ` and matching quotes allowed, `#` comments), and a bare
 * `KEY` takes the value of this shell's variable, as `docker run --env-file` does; read here, where the
 * file is. The entries go before `-e`'s, which win.
 */
export function envFromFiles(files: string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw usageError(`--env-from-file ${file}: ${(err as Error).message}`);
    }
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim().replace(/^export\s+/, '');
      if (!line || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = (eq < 0 ? line : line.slice(0, eq)).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
        throw usageError(`${file}:${i + 1}: "${key}" is not a variable name`, 'write KEY=VALUE, one a line');
      }
      if (eq < 0) {
        if (env[key] !== undefined) out.push(`${key}=${env[key]}`);
        return;
      }
      const value = line.slice(eq + 1).trim();
      const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0];
      out.push(`${key}=${quoted ? value.slice(1, -1) : value}`);
    });
  }
  return out;
}

/** `--pull`'s values, as compose's `run` takes them. */
export function pullArg(value: string): string {
  if (!['always', 'missing', 'never'].includes(value)) {
    throw usageError(`--pull ${value}: use always, missing or never`);
  }
  return value;
}

/**
 * compose's run: stdin is attached unless `-d` or `--no-interactive` (a pipe too: `echo x | orc run s cat`);
 * a TTY when `-t`, none when `-T`, else when stdin and stdout are both terminals.
 */
export function streams(
  f: Pick<RunFlags, 'detach' | 'interactive' | 'tty'>,
  stdinIsTTY: boolean,
  stdoutIsTTY: boolean,
): { interactive: boolean; tty: boolean } {
  const interactive = !f.detach && f.interactive !== false;
  const tty = f.tty ?? (stdinIsTTY && stdoutIsTTY);
  return { interactive, tty: !f.detach ? tty : f.tty === true };
}

/**
 * `orc run`: a one-off container (`<project>-<service>-run-<hex>`), attached unless `-d`. The hidden
 * `--volumes` and `--labels` are compose's other spellings of `--volume` and `--label`.
 */
export function registerRun(program: Command): Command {
  return (
    program
      .command('run')
      .description('run a one-off command on a service')
      .argument('<service>')
      .argument('[command...]')
      .option('--rm', 'remove the container when it exits')
      .option('-e, --env <KEY=VAL>', 'set environment variables (repeatable)', repeat)
      .option('--entrypoint <cmd>', 'override the entrypoint of the image')
      .option('-d, --detach', 'run the container in the background and print its name')
      .option('--no-deps', 'do not start linked services')
      .option('-i, --interactive', 'keep STDIN attached (default; --no-interactive leaves it out)', true)
      .option('--no-interactive', 'do not attach STDIN')
      .option('-t, --tty', 'allocate a pseudo-TTY even when stdin/stdout are not terminals')
      .option(
        '-T, --no-tty',
        'disable pseudo-TTY allocation (default: a TTY when stdin and stdout are terminals)',
      )
      // compose's spelling (`--no-TTY`), accepted for scripts written for it.
      .addOption(new Option('--no-TTY').hideHelp())
      .option('--build', 'build the image before starting the container')
      .option('--pull <policy>', 'pull the image before running: always, missing or never', pullArg)
      .option('--quiet-pull', 'pull without printing progress (orc run prints none either way)')
      .option('-q, --quiet', 'print no progress (orc run prints none either way)')
      .option('--quiet-build', 'build without printing progress (orc run prints none either way)')
      .option('--env-from-file <file>', 'set environment variables from a file (repeatable)', repeat)
      .option(
        '--remove-orphans',
        'remove containers of services not in the compose file (with the dependencies started)',
      )
      .option('-u, --user <user>', 'run as this user')
      .option('-w, --workdir <dir>', 'working directory inside the container')
      .option('-P, --service-ports', "publish the service's ports (a one-off leaves them out by default)")
      .option('-p, --publish <HOST:CONTAINER>', "publish a container's port to the host (repeatable)", repeat)
      .option('--name <name>', "the one-off's container name")
      .option('-v, --volume <SRC:DST[:ro]>', 'bind mount a path or mount a volume (repeatable)', repeat)
      .option('-l, --label <KEY=VAL>', 'add or override a label (repeatable)', labelArg)
      .addOption(new Option('--volumes <SRC:DST[:ro]>').hideHelp().argParser(repeat))
      .addOption(new Option('--labels <KEY=VAL>').hideHelp().argParser(labelArg))
      .option('--use-aliases', "give the one-off the service's network aliases")
      .option('--cap-add <CAP>', 'add a Linux capability (repeatable)', repeat)
      .option('--cap-drop <CAP>', 'drop a Linux capability (repeatable)', repeat)
      .passThroughOptions()
      .action(
        handler<[string, string[]], RunFlags>(async (ctx, f, service, cmd) => {
          if (f.servicePorts && f.publish?.length) {
            throw usageError('--service-ports and --publish are incompatible');
          }
          const stdin = process.stdin;
          const { interactive, tty } = streams(
            f.TTY === false ? { ...f, tty: false } : f,
            stdin.isTTY === true,
            ctx.stdout.isTTY === true,
          );
          // Raw mode only for a terminal that is ours to read (a forced -t over a pipe has none).
          const raw = tty && interactive && stdin.isTTY === true;
          const client = await ctx.connect();
          const name = ctx.globals.projectName ?? '-';
          const request: RunRequest = {
            source: ctx.source(),
            service,
            ...(cmd.length ? { cmd } : {}),
            ...(f.entrypoint !== undefined ? { entrypoint: f.entrypoint } : {}),
            ...(f.env?.length || f.envFromFile?.length
              ? { env: [...envFromFiles(f.envFromFile ?? [], ctx.env), ...(f.env ?? [])] }
              : {}),
            ...(f.deps ? {} : { noDeps: true }),
            ...(f.rm ? { rm: true } : {}),
            ...(f.user ? { user: f.user } : {}),
            ...(f.workdir ? { workdir: f.workdir } : {}),
            ...containerOptions(f),
            tty,
            interactive,
            ...(tty && ctx.stdout.rows > 0 && ctx.stdout.columns > 0
              ? { rows: ctx.stdout.rows, cols: ctx.stdout.columns }
              : {}),
          };
          if (f.detach) {
            ctx.stdout.write(`${await client.runDetached(name, { ...request, detach: true })}\n`);
            return;
          }
          // An upgrade is not sent twice: the daemon must answer first (autostart).
          await client.ready();
          if (raw) stdin.setRawMode(true);
          try {
            const code = await execute(
              client.address,
              name,
              request,
              {
                ...(interactive ? { stdin } : {}),
                stdout: ctx.stdout,
                stderr: ctx.stderr,
                ...(tty ? { onResize: followResize(ctx.stdout) } : {}),
              },
              'run',
            );
            // The one-off's own status is ours, as with compose.
            if (code !== 0) throw new CliError('', code as ExitCodeValue);
          } finally {
            if (raw) stdin.setRawMode(false);
            if (interactive) stdin.pause();
          }
        }),
      )
  );
}
