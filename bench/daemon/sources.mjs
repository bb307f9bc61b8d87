/**
 * The daemon's and the spec's sources of one tree, bundled by esbuild into one module (npm packages stay
 * external), so a benchmark times them in process without a build, and two trees side by side.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** `exports`: `[names, path in the tree]` pairs, re-exported; written under `work` with `tag` in the name. */
export async function bundleSources(tree, work, tag, exports) {
  const entry = join(work, `entry-${tag}.ts`);
  const src = (p) => JSON.stringify(join(tree, p));
  writeFileSync(entry, exports.map(([names, p]) => `export { ${names} } from ${src(p)};`).join('\n'));
  const outfile = join(work, `bundle-${tag}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    alias: { '@orc/spec': join(tree, 'packages/spec/src/index.ts') },
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

/** CPU time of this process (user + system), in ms. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
