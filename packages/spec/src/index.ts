export * from './desired/index.js';
export * from './hash/index.js';
export type { DotenvProblem, DotenvResult, ParseDotenvOptions, ReadEnvFilesOptions } from './load/dotenv.js';
export { dropDigitKeys, parseDotenv, readEnvFiles } from './load/dotenv.js';
export type {
  Caster,
  InterpolateOptions,
  InterpolateTreeResult,
  Lookup,
  SubstituteResult,
  VariableInfo,
} from './load/interpolate.js';
export { extractVariables, interpolateTree, substitute } from './load/interpolate.js';
export { createLoadCache, type LoadCache, type LoadCacheResult, loadKey } from './load/load-inputs.js';
export { loadProject } from './load/load-project.js';
export type { MergeProblem } from './load/merge.js';
export { enforceUnicity, mergeCompose, mergeService } from './load/merge.js';
export type * from './load/options.js';
export type { OverrideMarker, ResetMarker, TagMarker } from './load/tags.js';
export {
  applyTag,
  composeTags,
  hasMarkers,
  isOverride,
  isReset,
  overrideMarker,
  resetMarker,
  stripMarkers,
  unwrap,
} from './load/tags.js';
export type { VariableReport, VariableSource } from './load/variables.js';
export type * from './model/desired.js';
export * from './model/errors.js';
export * from './model/labels.js';
export type * from './model/project.js';
export type * from './model/swarm.js';
// Compose's short syntax, for the flags that take it (`orc run -p`, `-v`) as the file does.
export { isSyncAction } from './normalize/develop.js';
export { type PortResult, parseShortPort } from './normalize/ports.js';
export { isHostPath, parseShortVolume, type VolumeResult } from './normalize/volumes.js';
export * from './render/index.js';
export * from './swarm/index.js';
export { problemsFor } from './validate/applicable.js';
