import { type Command, Option } from 'commander';
import { type UpFlags, up, upCommand } from './up-run.js';
import { handler, repeat, scaleArg, seconds } from './util.js';

export { checkUpFlags, upOptions } from './up-run.js';

/**
 * `--no-attach SERVICE`: commander reads a `--no-` option as the negation of `--attach`; this one takes a
 * value of its own and must not switch --attach off.
 */
function noAttachOption(): Option {
  const option = new Option('--no-attach <service>', 'do not attach to this service’s output (repeatable)');
  option.negate = false;
  option.attributeName = () => 'noAttach';
  return option.argParser(repeat);
}

export function registerUp(program: Command): Command {
  return program
    .command('up')
    .description('create and start containers (and keep them converged)')
    .argument('[services...]', 'services to start (and their dependencies)')
    .option('-d, --detach', 'run in the background; print nothing but the progress')
    .option('--wait', 'wait for services to be running|healthy (implies --detach)')
    .option('--wait-timeout <seconds>', 'maximum time to wait with --wait', seconds('--wait-timeout'))
    .option('--build', 'build images before starting containers')
    .option('--no-build', 'do not build an image, even if it is missing')
    .option('--pull <policy>', 'pull images before running: always, missing, never, policy')
    .option('--force-recreate', 'recreate containers even if their configuration has not changed')
    .option('--no-recreate', 'do not recreate containers that exist')
    .option('--no-deps', 'do not start linked services')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=n>', 'scale SERVICE to NUM instances (repeatable)', scaleArg)
    .option(
      '-t, --timeout <seconds>',
      'shutdown timeout for replaced (and, attached, stopped) containers',
      seconds('-t'),
    )
    .option('--dry-run', 'print the plan (with the reason of each step) and change nothing')
    .option(
      '--force',
      'act even when the project name is already used by a project in another folder (takes it over)',
    )
    .option('--abort-on-container-exit', 'stop all containers if any container was stopped (not with -d)')
    .option(
      '--abort-on-container-failure',
      'stop all containers if any container exited with failure (not with -d)',
    )
    .option('--attach-dependencies', 'also attach to the output of the services the named ones depend on')
    .option(
      '--exit-code-from <service>',
      "exit with this service's container's exit code (implies --abort-on-container-exit)",
    )
    .option('--attach <service>', 'attach to (only) this service’s output (repeatable)', repeat)
    .addOption(noAttachOption())
    .option('--no-start', 'create the containers but do not start them (nor follow them)')
    .option('--always-recreate-deps', 'recreate the dependencies of the services named, even when up to date')
    .option(
      '-V, --renew-anon-volumes',
      'new anonymous volumes for recreated containers (what orc always does: it never carries them over)',
    )
    .option('--timestamps', 'show timestamps in the attached output')
    .option('--no-log-prefix', 'do not print a prefix in the attached output')
    .option('--no-color', 'monochrome attached output')
    .option('-y, --yes', 'assume yes to prompts (accepted for compose scripts: orc never prompts)')
    .option('--quiet-pull', 'pull without printing progress information (a failed pull still says why)')
    .option(
      '-w, --watch',
      'watch the develop.watch files (with -d: in the daemon, until `watch --stop` or `down`)',
    )
    .addOption(
      new Option(
        '--target <target>',
        "where the project runs: the daemon's engine or the swarm it manages",
      ).choices(['local', 'swarm']),
    )
    .action(handler<[string[]], UpFlags>(upCommand));
}

/** `orc create`: compose's create, which is `up --no-start`: containers made, nothing started. */
export function registerCreate(program: Command): Command {
  return program
    .command('create')
    .description('create containers for the services without starting them (up --no-start)')
    .argument('[services...]', 'services to create (and their dependencies)')
    .option('--build', 'build images before creating containers')
    .option('--no-build', 'do not build an image, even if it is missing')
    .option('--pull <policy>', 'pull images before creating: always, missing, never, policy')
    .option('--force-recreate', 'recreate containers even if their configuration has not changed')
    .option('--no-recreate', 'do not recreate containers that exist')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=n>', 'scale SERVICE to NUM instances (repeatable)', scaleArg)
    .option('--quiet-pull', 'pull without printing progress information (a failed pull still says why)')
    .option('-y, --yes', 'assume yes (orc never prompts)')
    .action(
      handler<[string[]], UpFlags>(async (ctx, flags, services) =>
        up(ctx, { ...flags, start: false }, services),
      ),
    );
}
