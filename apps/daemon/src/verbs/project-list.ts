/**
 * The light project list (`GET /v1/projects`, issue 19): every project's containers from one engine list by
 * label, grouped here, instead of a list and an inspect per container for each project. What the list item
 * lacks (the engine's restart count, start time, the last probe's output) is left to the project view; the
 * health comes from the item's Status text (`Up 3 minutes (healthy)`).
 */
import { Labels } from '@orc/spec';
import type { EngineContainerListItem } from '../engine/types.js';
import { fromListItem } from '../observe/observe.js';
import type { ObservedContainer } from '../observe/types.js';

const byLocale = new Intl.Collator().compare;

/** The containers of each project (one-offs included, as `observeProject` has them), in its order. */
export function groupByProject(items: EngineContainerListItem[]): Map<string, ObservedContainer[]> {
  const groups = new Map<string, ObservedContainer[]>();
  for (const item of items) {
    const project = item.Labels?.[Labels.project];
    if (!project) continue;
    const list = groups.get(project);
    if (list) list.push(fromListItem(item));
    else groups.set(project, [fromListItem(item)]);
  }
  for (const list of groups.values())
    list.sort((a, b) => byLocale(a.service, b.service) || a.number - b.number || byLocale(a.name, b.name));
  return groups;
}
