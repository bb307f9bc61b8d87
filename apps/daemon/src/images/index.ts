/**
 * Images: build from Dockerfiles, pull from registries (with the client's credentials), by pull_policy.
 * The executor creates one service per daemon (`createImageService({ engine: createImageEngine(docker) })`)
 * and calls `ensureImage` for each `ensure-image` operation.
 */

export {
  ImageError,
  type ImageErrorCode,
  type ImageErrorDetails,
  isImageError,
} from '../contract/image-errors.js';
export {
  createImageEngine,
  type EngineBuildOptions,
  type ImageEngine,
  type LocalImage,
  type RegistryAuth,
} from '../engine/images.js';
export { type DockerConfigFile, dockerConfigPath, readDockerConfig, resolveRegistryAuth } from './auth.js';
export { type BuildContext, createBuildContext } from './context.js';
export { decideImage, type ImageDecision, type PullOverride, parsePullPolicy } from './policy.js';
export type { ImageProgress, ProgressSink } from './progress.js';
export { type ImageReference, parseReference } from './reference.js';
export {
  type BatchResult,
  createImageService,
  type EnsureImageRequest,
  type EnsureImageResult,
  type ImageService,
  type ImageServiceOptions,
  type PushResult,
} from './service.js';
