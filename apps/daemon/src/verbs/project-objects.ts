/**
 * `orc volumes` and `orc commit`: a look at the project's volumes and a service container committed to an
 * image, straight from the engine (neither changes what the daemon keeps converged).
 */
import { Labels } from '@orc/spec';
import type { CommitBody, CommitReply, ProjectVolume } from '../contract/objects.js';
import { commitContainer } from '../engine/commit.js';
import type { Engine } from '../engine/engine.js';
import type { VerbContext } from './context.js';
import { serviceContainer } from './top.js';
import type { ObjectVerbs } from './types.js';

export async function projectVolumes(engine: Engine, project: string): Promise<ProjectVolume[]> {
  const found = await engine.listVolumes({ label: [`${Labels.project}=${project}`] });
  return found
    .map((v) => {
      const labels = v.Labels ?? {};
      const key = labels[Labels.volume];
      return {
        name: v.Name,
        driver: v.Driver,
        mountpoint: v.Mountpoint,
        labels,
        ...(key ? { key } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function projectCommit(engine: Engine, project: string, body: CommitBody): Promise<CommitReply> {
  const c = await serviceContainer(engine, project, body.service, body.index ?? 1);
  const id = await commitContainer(engine, {
    container: c.id,
    ...(body.repo ? { repo: body.repo } : {}),
    ...(body.tag ? { tag: body.tag } : {}),
    ...(body.author ? { author: body.author } : {}),
    ...(body.message ? { comment: body.message } : {}),
    ...(body.changes?.length ? { changes: body.changes } : {}),
    pause: body.pause ?? true,
  });
  return { id, container: c.name };
}

export function createObjectVerbs(ctx: VerbContext): ObjectVerbs {
  const { engine } = ctx;
  return {
    volumes: async (target) => projectVolumes(engine, (await ctx.resolveName(target)).name),
    commit: async (target, body) => projectCommit(engine, (await ctx.resolveName(target)).name, body),
  };
}
