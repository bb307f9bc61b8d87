export type { DefinitionChange } from './diff.js';
export { diffDefinitions, formatChange, summarizeChanges } from './diff.js';
