export { type CoreOptions, createCore } from './core/core.js';
export type * from './core/types.js';
export { main } from './main.js';
