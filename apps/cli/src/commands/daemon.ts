import type { Command } from 'commander';

/** Set when the daemon runs in this process: main must then not exit when the command returns. */
export const daemonState = { running: false };

export function registerDaemon(program: Command): Command {
  return (
    program
      .command('daemon')
      .description('run the orc daemon in the foreground (`orc daemon --help` lists its options)')
      // The daemon parses its own flags (and prints its own --help).
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async () => {
        // Loaded on demand so that every other command starts without the daemon's dependencies.
        daemonState.running = true;
        const daemon = await import('@orc/daemon');
        await daemon.main(process.argv.slice(process.argv.indexOf('daemon') + 1));
      })
  );
}
