export { type CoreOptions, createCore } from './core/core.js';
export { main } from './main.js';
