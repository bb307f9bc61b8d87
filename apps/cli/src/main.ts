import { Command } from 'commander';
import { version } from './version.js';

const program = new Command('orc')
  .description('orc: a Compose-compatible orchestrator that keeps your stacks converged')
  .version(version, '-v, --version', 'print the orc version');

program
  .command('daemon')
  .description('run the orc daemon in the foreground')
  .action(async () => {
    // Loaded on demand so that every other command starts without the daemon's dependencies.
    const daemon = await import('@orc/daemon');
    await daemon.main(process.argv.slice(3));
  });

await program.parseAsync(process.argv);
