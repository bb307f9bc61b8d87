import type { Command } from 'commander';
import { failure } from '../errors.js';
import { handler } from './util.js';

/**
 * compose commands the daemon has no route for yet: present (so scripts get a clear answer and
 * `--help` is honest), failing with exit 1 and what to use instead.
 */
const MISSING: Array<[name: string, args: string, description: string, instead: string]> = [];

export function registerUnsupported(program: Command): void {
  for (const [name, args, description, instead] of MISSING) {
    program
      .command(name)
      .description(`${description} (not available yet: the daemon has no route for it)`)
      .arguments(args)
      .allowUnknownOption()
      .action(
        handler<unknown[], object>(async () => {
          throw failure(`orc ${name} is not available yet: the daemon's API has no route for it`, instead);
        }),
      );
  }
}
