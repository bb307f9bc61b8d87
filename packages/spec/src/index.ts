export * from './desired/index.js';
export * from './hash/index.js';
export { loadProject } from './load/load-project.js';
export type * from './load/options.js';
export type * from './model/desired.js';
export * from './model/errors.js';
export * from './model/labels.js';
export type * from './model/project.js';
export * from './render/index.js';
