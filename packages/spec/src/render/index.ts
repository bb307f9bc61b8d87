export { type DocumentOptions, projectDocument, serviceDocument } from './document.js';
export { RenderError } from './errors.js';
export {
  listImages,
  listNetworks,
  listProfiles,
  listServices,
  listVolumes,
  type RenderOptions,
  renderConfig,
  renderHashes,
} from './render-config.js';
export { selectServices } from './select.js';
export { formatBytes, formatDuration, formatFileMode } from './units.js';
