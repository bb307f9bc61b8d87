import { version } from './version.js';

async function main(argv: string[]): Promise<void> {
  // `orc ps | head`: a reader that went away is not an error of ours.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  // The hot path answers before the command table is even built.
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-v')) {
    process.stdout.write(`${version}\n`);
    return;
  }
  const [{ daemonState }, { ExitCode }, { buildProgram, report }, { splitShortEquals }] = await Promise.all([
    import('./commands/daemon.js'),
    import('./errors.js'),
    import('./program.js'),
    import('./argv.js'),
  ]);
  const debug = argv.includes('--debug');
  let code: number = ExitCode.ok;
  try {
    await buildProgram().parseAsync(splitShortEquals(argv));
  } catch (err) {
    code = report(err, debug);
  }
  // Exit explicitly: an open stdin or a finished stream must not keep a finished command alive.
  if (!daemonState.running || code !== 0) process.exit(code);
}

await main(process.argv);
