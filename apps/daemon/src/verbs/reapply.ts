/**
 * Re-apply a kept project by name (the status page's "Up", and its dry-run plan): `up` with the source the
 * project was last applied with (its files re-read from disk, the client environment kept in the record),
 * over the services that `up` covered. A project only found on the engine has no source: 404.
 */
import { OrcError } from '../contract/errors.js';
import type { LoadFailure } from '../contract/types.js';
import type { VerbContext } from './context.js';
import type { OperationHandle } from './types.js';
import type { Up } from './up.js';

export type Reapply = (name: string, o: { dryRun?: boolean }) => Promise<OperationHandle | LoadFailure>;

export function createReapply(ctx: Pick<VerbContext, 'store'>, up: Up): Reapply {
  return async (name, o) => {
    const record = await ctx.store.get(name);
    if (!record) {
      throw new OrcError(
        'PROJECT_NOT_FOUND',
        `the daemon does not keep a project named "${name}": run \`orc up\` in its folder first`,
      );
    }
    return up(record.source, {
      ...(record.services?.length ? { services: record.services } : {}),
      ...(o.dryRun ? { dryRun: true } : {}),
    });
  };
}
