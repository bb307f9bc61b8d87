/** The loader's view of the text-layer modules (dotenv, interpolation, tags, merge). */
export { parseDotenv, readEnvFiles } from './dotenv.js';
export { interpolateTree, type Lookup, substitute } from './interpolate.js';
export { enforceUnicity, type MergeProblem, mergeCompose, mergeService } from './merge.js';
export { composeTags, hasMarkers, markerPaths, stripMarkers } from './tags.js';
