/** `POST /commit`: a container's changes as a new image (`orc commit`); kept apart from the converge path. */
import { dial } from './dial.js';
import type { Engine } from './engine.js';
import { mapEngineError } from './errors.js';

export interface CommitQuery {
  container: string;
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  /** Dockerfile instructions applied to the image (`-c`), as `docker commit --change`. */
  changes?: string[];
  pause: boolean;
}

/** Commits the container; the new image's id. */
export async function commitContainer(engine: Engine, q: CommitQuery): Promise<string> {
  const query: Record<string, string | boolean> = { container: q.container, pause: q.pause };
  if (q.repo) query.repo = q.repo;
  if (q.tag) query.tag = q.tag;
  if (q.author) query.author = q.author;
  if (q.comment) query.comment = q.comment;
  // The engine joins its `changes` values with newlines and parses them as a Dockerfile: one value with
  // the newlines already in it is the same.
  if (q.changes?.length) query.changes = q.changes.join('\n');
  try {
    const res = await dial<{ Id: string }>(engine.docker, {
      path: '/commit',
      method: 'POST',
      query,
      body: {},
    });
    return res.Id;
  } catch (err) {
    throw mapEngineError(err, `container ${q.container}`);
  }
}
