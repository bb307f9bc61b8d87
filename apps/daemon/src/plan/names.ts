/**
 * Container names are unique on the engine: a create or rename to a name that one of our containers
 * still holds must wait for that container's removal, and is a plan error when nothing removes it
 * (an orphan kept without `removeOrphans`, a one-off container).
 */
import type { ObservedProject } from '../observe/types.js';
import { addAfter, addError, type Draft } from './draft.js';
import { removeContainerId } from './ids.js';

export function orderNameReuse(draft: Draft, observed: ObservedProject): void {
  const holders = new Map(observed.containers.map((c) => [c.name, c]));
  for (const op of draft.ops.values()) {
    const name =
      op.kind === 'create-container' ? op.createAs : op.kind === 'rename-container' ? op.to : undefined;
    if (name === undefined) continue;
    const holder = holders.get(name);
    if (!holder) continue;
    const removal = draft.ops.get(removeContainerId(name));
    if (removal) {
      addAfter(op, removal.id);
      continue;
    }
    const what = holder.oneoff
      ? `a one-off container of service ${holder.service}`
      : `a container of service ${holder.service || '?'} that is no longer in the project`;
    addError(
      draft,
      'NAME_CONFLICT',
      `container name ${name} is held by ${holder.name} (${holder.id.slice(0, 12)}), ${what}; remove it (\`--remove-orphans\`, or \`docker rm ${holder.name}\`) or change container_name`,
    );
  }
}
