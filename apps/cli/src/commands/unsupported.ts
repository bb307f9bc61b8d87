import type { Command } from 'commander';
import { failure } from '../errors.js';
import { handler } from './util.js';

/**
 * compose commands the daemon has no route for yet: present (so scripts get a clear answer and
 * `--help` is honest), failing with exit 1 and what to use instead.
 */
const MISSING: Array<[name: string, args: string, description: string, instead: string]> = [
  [
    'bridge',
    '[args...]',
    'convert the project to Kubernetes or Helm manifests',
    'not planned (docs/compose-compat.md): use `docker compose bridge` on the same files',
  ],
  [
    'publish',
    '[args...]',
    'publish the compose application as an OCI artifact',
    'not planned (docs/compose-compat.md): use `docker compose publish` on the same files',
  ],
];

export function registerUnsupported(program: Command): void {
  for (const [name, args, description, instead] of MISSING) {
    program
      .command(name)
      .description(`${description} (not available in orc)`)
      .arguments(args)
      .allowUnknownOption()
      .action(
        handler<unknown[], object>(async () => {
          throw failure(`orc ${name} is not available in orc`, instead);
        }),
      );
  }
}
