export { bindSwarmReferences, type SwarmIds } from './bind.js';
export { composeField, composeFields, specDiff } from './diff.js';
export { planSwarmDown } from './down.js';
export { planSwarm, selectedServices } from './plan.js';
export { renderSwarmOperation, renderSwarmPlan } from './render.js';
export type * from './types.js';
