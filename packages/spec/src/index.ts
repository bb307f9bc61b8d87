export * from './desired/index.js';
export * from './hash/index.js';
export type * from './load/options.js';
export type * from './model/desired.js';
export * from './model/errors.js';
export * from './model/labels.js';
export type * from './model/project.js';
