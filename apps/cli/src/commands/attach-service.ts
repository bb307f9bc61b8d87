/**
 * `orc attach SERVICE`: compose's attach. The running container's output (and, unless --no-stdin, the
 * terminal's input) until it stops; then its exit code. Ctrl-C (or the detach keys the engine knows,
 * Ctrl-P Ctrl-Q on a TTY) leaves it running: the container is the project's, kept by the daemon.
 */
import type { Command } from 'commander';
import { execute } from '../client/exec.js';
import type { AttachRequest } from '../client/types.js';
import { CliError, ExitCode, type ExitCodeValue } from '../errors.js';
import { count, handler } from './util.js';

interface AttachFlags {
  index: number;
  stdin: boolean;
  sigProxy?: boolean;
  detachKeys?: string;
}

export function registerAttachService(program: Command): Command {
  return program
    .command('attach')
    .description('attach local standard input, output and error to a service’s running container')
    .argument('<service>')
    .option('--index <n>', 'index of the container if the service has several replicas', count('--index'), 1)
    .option('--no-stdin', 'do not attach stdin')
    .option('--sig-proxy', 'accepted for compose scripts; Ctrl-C detaches (the daemon keeps the container)')
    .option(
      '--detach-keys <keys>',
      'accepted for compose scripts; the engine’s default (ctrl-p,ctrl-q) applies',
    )
    .action(
      handler<[string], AttachFlags>(async (ctx, f, service) => {
        const stdin = process.stdin;
        const client = await ctx.connect();
        const target = ctx.target();
        const request: AttachRequest = {
          ...(target.source ? { source: target.source } : {}),
          service,
          index: f.index,
          stdin: f.stdin,
          ...(ctx.stdout.rows > 0 && ctx.stdout.columns > 0
            ? { rows: ctx.stdout.rows, cols: ctx.stdout.columns }
            : {}),
        };
        let detached = false;
        const onInterrupt = () => {
          detached = true;
          // Leaving closes the connection: the daemon detaches; nothing is stopped.
          process.exit(ExitCode.interrupted);
        };
        // An upgrade is not sent twice: the daemon must answer first (autostart).
        await client.ready();
        process.once('SIGINT', onInterrupt);
        try {
          const code = await execute(
            client.address,
            target.name,
            request,
            { ...(f.stdin ? { stdin } : {}), stdout: ctx.stdout, stderr: ctx.stderr },
            'attach',
          );
          if (!detached && code !== 0) throw new CliError('', code as ExitCodeValue);
        } finally {
          process.off('SIGINT', onInterrupt);
          if (f.stdin) stdin.pause();
        }
      }),
    );
}
