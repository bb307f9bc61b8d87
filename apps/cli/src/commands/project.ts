import type { Api } from '../client/api.js';
import { ApiError } from '../client/http.js';
import type { ProjectSummary } from '../client/types.js';
import type { Context } from '../context.js';

/** The project this invocation names, or undefined when nothing of it exists (yet). */
export async function findProject(
  ctx: Context,
  client: Api,
): Promise<{ name: string; project?: ProjectSummary }> {
  const target = ctx.target();
  if (!target.source) {
    try {
      return { name: target.name, project: await client.getProject(target.name) };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { name: target.name };
      throw err;
    }
  }
  return client.lookup(target.source);
}
