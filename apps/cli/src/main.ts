import { exitFlushed } from './exit.js';
import { composeVersion, version } from './version.js';

async function main(processArgv: string[]): Promise<void> {
  // `orc ps | head`: a reader that went away is not an error of ours.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  // The docker CLI lists its plugins by asking each for its metadata.
  if (processArgv[2] === 'docker-cli-plugin-metadata') {
    const { pluginMetadata } = await import('./plugin.js');
    process.stdout.write(`${pluginMetadata()}\n`);
    return;
  }
  let argv = processArgv;
  if (process.env.ORC_INVOKED_AS) {
    const plugin = await import('./plugin.js');
    const inv = plugin.readInvocation(processArgv, process.env);
    argv = inv.argv;
    if (inv.asCompose) process.env.ORC_AS_COMPOSE = '1';
    const env = plugin.dockerEnv(inv.docker, process.env, plugin.readContextHost);
    if ('error' in env) {
      process.stderr.write(`orc: ${env.error}\n`);
      process.exit(1);
    }
    // The engine the docker CLI was pointed at: a daemon orc starts for this command inherits it.
    for (const key of ['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT'] as const) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
  }
  // The hot path answers before the command table is even built.
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-v')) {
    process.stdout.write(
      process.env.ORC_AS_COMPOSE
        ? `Docker Compose version v${composeVersion} (orc ${version})\n`
        : `${version}\n`,
    );
    return;
  }
  const [{ daemonState }, { ExitCode }, { runHot }, { splitShortEquals }] = await Promise.all([
    import('./commands/daemon.js'),
    import('./errors.js'),
    import('./hot.js'),
    import('./argv.js'),
  ]);
  const debug = argv.includes('--debug');
  let code: number = ExitCode.ok;
  try {
    const split = splitShortEquals(argv);
    // `ps`, `up` and `down` in their plain forms run without commander (hot.ts); everything else, help and
    // every usage error included, is commander's: a hot command (ps, up, create, down) built alone, the
    // whole command table only for the others.
    if (!(await runHot(split))) {
      const { buildHotProgram, commandNamed } = await import('./program-core.js');
      const program = buildHotProgram(commandNamed(split)) ?? (await import('./program.js')).buildProgram();
      await program.parseAsync(split);
    }
  } catch (err) {
    code = (await import('./program-core.js')).report(err, debug);
  }
  // Exit explicitly: an open stdin or a finished stream must not keep a finished command alive.
  if (!daemonState.running || code !== 0) exitFlushed(code);
}

// No top-level await: the bundle is CommonJS (tsup.config.ts). main() reports its own failures; what
// escapes is a bug, said in one line (the stack with --debug).
main(process.argv).catch((err: unknown) => {
  const debug = process.argv.includes('--debug');
  process.stderr.write(`orc: ${debug && err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
