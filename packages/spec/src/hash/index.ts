export { canonicalJson, sha256Hex } from './canonical.js';
export { bodyHash, definitionDiff, serviceDefinition, serviceHash } from './service-hash.js';
