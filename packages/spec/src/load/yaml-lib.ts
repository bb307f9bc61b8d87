import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded on first use. The loader parses with js-yaml (fast-yaml.ts) and needs
 * `yaml` only to locate a problem, for a file the fast path declines, or to print `orc config`: a
 * process that loads valid files never pays for it (~9 MB of heap and ~50 ms of CPU at import,
 * issue 17). Synchronous, as the load is (`loadProjectNow`): `require` of the package's CommonJS
 * build, the same module an ESM `import 'yaml'` gets from node's cache.
 */
export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}
