export { SWARM_REPORTED, SWARM_TRANSLATED, type SwarmRule, swarmProblems } from './compat.js';
export { SwarmProblemsError } from './errors.js';
export { desiredSwarmFile, type ReadFile, readFileBytes } from './files.js';
export { completedDependencies, swarmMode } from './modes.js';
export { SWARM_NAME_MAX, swarmNetworkName, swarmServiceName, versionedName } from './names.js';
export { swarmCovered } from './selection.js';
export { declaredTarget, projectTarget } from './target.js';
export { type SwarmStateOptions, swarmDesiredState, swarmSpecHash, withSwarmImage } from './translate.js';
