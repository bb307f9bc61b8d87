export { main } from './main.js';
export { type CoreOptions, createCore } from './core/core.js';
