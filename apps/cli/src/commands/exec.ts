import { type Command, Option } from 'commander';
import { execute, followResize } from '../client/exec.js';
import { CliError, type ExitCodeValue } from '../errors.js';
import { count, handler, repeat } from './util.js';

interface ExecFlags {
  tty: boolean;
  /** `--no-TTY` (compose's spelling of `-T`). */
  TTY?: boolean;
  env?: string[];
  user?: string;
  workdir?: string;
  index: number;
  privileged?: boolean;
  detach?: boolean;
}

export function registerExec(program: Command): Command {
  return (
    program
      .command('exec')
      .description('execute a command in a running service container')
      .argument('<service>')
      .argument('<command...>')
      .option('-d, --detach', 'detached mode: run the command in the background')
      .option('-T, --no-tty', 'disable pseudo-TTY allocation (default: a TTY when stdin is one)')
      // compose's spelling (`--no-TTY`), accepted for scripts written for it.
      .addOption(new Option('--no-TTY').hideHelp())
      .option('-e, --env <KEY=VAL>', 'set environment variables (repeatable)', repeat)
      .option('-u, --user <user>', 'run the command as this user')
      .option('-w, --workdir <dir>', 'path to workdir directory for this command')
      .option(
        '--index <n>',
        'index of the container if the service has several replicas',
        count('--index'),
        1,
      )
      .option('--privileged', 'give extended privileges to the process')
      .passThroughOptions()
      .action(
        handler<[string, string[]], ExecFlags>(async (ctx, f, service, cmd) => {
          const stdin = process.stdin;
          // Detached, nothing is attached: no terminal, no stdin (compose prints nothing and exits 0).
          const detach = f.detach === true;
          const tty =
            !detach && f.tty && f.TTY !== false && stdin.isTTY === true && ctx.stdout.isTTY === true;
          const client = await ctx.connect();
          const target = ctx.target();
          const request = {
            ...(target.source ? { source: target.source } : {}),
            service,
            index: f.index,
            cmd,
            tty,
            interactive: !detach,
            ...(detach ? { detach: true } : {}),
            ...(f.env?.length ? { env: f.env } : {}),
            ...(f.user ? { user: f.user } : {}),
            ...(f.workdir ? { workdir: f.workdir } : {}),
            ...(f.privileged ? { privileged: true } : {}),
            // A terminal that reports no size (0x0) leaves the engine's default.
            ...(tty && ctx.stdout.rows > 0 && ctx.stdout.columns > 0
              ? { rows: ctx.stdout.rows, cols: ctx.stdout.columns }
              : {}),
          };
          // An upgrade is not sent twice: the daemon must answer first (autostart).
          await client.ready();
          if (tty) stdin.setRawMode(true);
          try {
            const code = await execute(client.address, target.name, request, {
              ...(detach ? {} : { stdin }),
              stdout: ctx.stdout,
              stderr: ctx.stderr,
              ...(tty ? { onResize: followResize(ctx.stdout) } : {}),
            });
            // The command's own status is ours, as with compose (and it is not an orc failure: no message).
            if (code !== 0) throw new CliError('', code as ExitCodeValue);
          } finally {
            if (tty) stdin.setRawMode(false);
            stdin.pause();
          }
        }),
      )
  );
}
