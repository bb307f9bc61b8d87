/** Operation ids: stable for the same inputs and readable in events (`stop-container:demo-web-1`). */
export const stopContainerId = (name: string) => `stop-container:${name}`;
export const removeContainerId = (name: string) => `remove-container:${name}`;
export const startContainerId = (name: string) => `start-container:${name}`;
export const createContainerId = (name: string) => `create-container:${name}`;
export const renameContainerId = (from: string) => `rename-container:${from}`;
export const disconnectId = (container: string, network: string) =>
  `disconnect-network:${container}:${network}`;
export const removeNetworkId = (id: string) => `remove-network:${id.slice(0, 12)}`;
export const waitId = (name: string, until: string, required: boolean) =>
  `wait-container:${name}:${until}${required ? '' : ':optional'}`;
export const runInitId = (name: string) => `run-init:${name}`;
export const execHookId = (phase: string, container: string, index: number) =>
  `exec-hook:${phase}:${container}:${index}`;
