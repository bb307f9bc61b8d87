export type * from './contract/objects.js';
export type * from './contract/types.js';
export { main } from './main.js';
export { type CoreOptions, createCore } from './verbs/core.js';
export type * from './verbs/types.js';
