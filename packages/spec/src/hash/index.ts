export { canonicalJson, canonicalJsonWithoutEmpty, sha256Hex } from './canonical.js';
export { bodyHash, definitionDiff, definitionHash, serviceDefinition, serviceHash } from './service-hash.js';
