import { daemonState } from './commands/daemon.js';
import { ExitCode } from './errors.js';
import { buildProgram, report } from './program.js';

async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  let code: number = ExitCode.ok;
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    code = report(err, debug);
  }
  // Exit explicitly: an open stdin or a finished stream must not keep a finished command alive.
  if (!daemonState.running || code !== 0) process.exit(code);
}

await main(process.argv);
