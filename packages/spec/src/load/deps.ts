/**
 * The loader's view of the modules another engineer owns (dotenv, interpolation, tags, merge).
 * merge.ts has not landed yet: until it does, `mergeCompose` below is a stand-in with the same
 * signature (maps merge, sequences append, scalars override, `!reset`/`!override` honoured).
 */
import { isOverride, isPlainObject, isReset } from './tags.js';

export { parseDotenv, readEnvFiles } from './dotenv.js';
export { interpolateTree, type Lookup, substitute } from './interpolate.js';
export { composeTags, stripMarkers } from './tags.js';

export function mergeCompose(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isReset(override)) return undefined;
  if (isOverride(override)) return override.value;
  if (Array.isArray(base) && Array.isArray(override)) return [...base, ...override];
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
      const merged = k in out ? mergeCompose(out[k], v) : mergeCompose(undefined, v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  return override;
}
