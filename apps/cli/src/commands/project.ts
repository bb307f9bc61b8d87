import type { Api } from '../client/api.js';
import { ApiError } from '../client/http.js';
import type { ProjectSummary } from '../client/types.js';
import type { Context } from '../context.js';

/**
 * The project this invocation names, or undefined when nothing of it exists (yet). Its containers come
 * from one list of the engine (restart counts 0) unless `detail` asks the daemon to inspect each.
 */
export async function findProject(
  ctx: Context,
  client: Api,
  detail = false,
): Promise<{ name: string; project?: ProjectSummary }> {
  const target = ctx.target();
  if (!target.source) {
    try {
      return { name: target.name, project: await client.getProject(target.name, detail) };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { name: target.name };
      throw err;
    }
  }
  return client.lookup(target.source, detail);
}
