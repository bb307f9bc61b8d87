export { planServiceAction } from './actions.js';
export { planDown } from './down.js';
export { renderOperation, renderPlan } from './render.js';
export { type DaemonRestart, planDaemonRestart } from './restart.js';
export { coveredServices } from './services.js';
export type * from './types.js';
export { plan } from './up.js';
