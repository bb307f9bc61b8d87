import { loadProject } from '../load/load-project.js';
import type { LoadResult } from '../load/options.js';
import type { Project } from '../model/project.js';
import type { Target } from '../model/swarm.js';

/** The real loader on compose text: project `demo` in /srv/demo. Test-only helper. */
export async function loadText(
  yaml: string,
  opts: { target?: Target; env?: Record<string, string> } = {},
): Promise<LoadResult> {
  return loadProject({
    workingDir: '/srv/demo',
    inline: [{ name: 'compose.yaml', content: yaml }],
    env: opts.env ?? {},
    projectName: 'demo',
    ...(opts.target ? { target: opts.target } : {}),
  });
}

/** Loads compose text that must load. */
export async function projectOf(yaml: string, env: Record<string, string> = {}): Promise<Project> {
  const loaded = await loadText(yaml, { env });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.project;
}
