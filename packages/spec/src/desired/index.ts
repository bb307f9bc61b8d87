export { DEFAULT_LOGGING, type LogDefaults } from './container.js';
export { type DesiredStateOptions, desiredState, replicaCount } from './desired-state.js';
export { DesiredStateError } from './errors.js';
export { inheritAnonymousVolumes, type PreviousMount } from './inherit.js';
export { containerName, imageName } from './names.js';
export { dependencyOrder } from './order.js';
export { desiredVolume, networkEngineName, volumeEngineName } from './resources.js';
