/** Wire shapes of `orc volumes` and `orc commit` (TypeBox schemas and their static types). */
import type { Static } from '@fastify/type-provider-typebox';
import { Type } from './json-schema.js';
import { ProjectSourceSchema } from './schemas.js';

export const ProjectVolumeSchema = Type.Object({
  name: Type.String(),
  driver: Type.String(),
  mountpoint: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  /** The project's key for it (`com.docker.compose.volume`), when it carries one. */
  key: Type.Optional(Type.String()),
});
export type ProjectVolume = Static<typeof ProjectVolumeSchema>;

export const CommitBodySchema = Type.Object(
  {
    service: Type.String(),
    index: Type.Optional(Type.Integer({ minimum: 1, description: 'Container number (default 1)' })),
    repo: Type.Optional(Type.String({ description: 'Repository of the new image (with REPO[:TAG])' })),
    tag: Type.Optional(Type.String()),
    author: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    changes: Type.Optional(Type.Array(Type.String(), { description: 'Dockerfile instructions (`-c`)' })),
    pause: Type.Optional(
      Type.Boolean({ description: 'Pause the container while committing (default true)' }),
    ),
  },
  { additionalProperties: false },
);
export type CommitBody = Static<typeof CommitBodySchema>;

export const CommitReplySchema = Type.Object({ id: Type.String(), container: Type.String() });
export type CommitReply = Static<typeof CommitReplySchema>;

/** `orc push` (compose's push: the images of the services that have both `build:` and `image:`). */
export const PushBodySchema = Type.Object(
  {
    source: ProjectSourceSchema,
    services: Type.Optional(Type.Array(Type.String(), { description: 'Limit to these services' })),
    includeDeps: Type.Optional(Type.Boolean({ description: 'Also the services they depend on' })),
    ignorePushFailures: Type.Optional(
      Type.Boolean({ description: 'Push what can be pushed; failures become warnings' }),
    ),
  },
  { additionalProperties: false },
);
export type PushOptions = Omit<Static<typeof PushBodySchema>, 'source'>;
