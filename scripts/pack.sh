#!/usr/bin/env bash
# Packs orc into one release tarball that installs with no checkout and no registry:
#   dist/orc-VERSION.tgz   `npm pack` of a package named "orc" that depends on the workspace's packages and
#                          bundles them (bundleDependencies) with every runtime dependency they need, plus
#                          deploy/ (install.sh, orc.service, orc.env) so the target has the installer too.
# The runtime dependencies are copied from this checkout's node_modules (`npm ls --omit=dev`): the very
# versions the tests ran against, no npm cache or network needed here either. `npm pack` of a workspace
# alone cannot bundle them (its dependencies are hoisted to the root node_modules: npm bundles none).
# On the target: deploy/install.sh --from-tarball orc-VERSION.tgz (see docs/running-as-a-service.md).
set -euo pipefail

# What ships: the CLI and every workspace package it needs at run time (the daemon, the spec, the page's
# assets...), found in `npm ls`: a new workspace dependency ships with no change here.
CLI=@orc/cli

usage() {
  cat <<'USAGE'
Usage: scripts/pack.sh [--out DIR] [--no-build]

  --out DIR    where orc-VERSION.tgz goes (default: dist/ in the checkout)
  --no-build   pack what is built already (default: build the shipped packages first)
USAGE
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO/dist
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pack.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
say() { echo "orc pack: $*" >&2; }

cd "$REPO"
if [ "$BUILD" = 1 ]; then
  say "building"
  npx turbo run build "--filter=$CLI..." --output-logs=errors-only >/dev/null
fi

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/orc-pack.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
BUNDLE=$STAGE/orc
mkdir -p "$STAGE/packs" "$BUNDLE/node_modules" "$BUNDLE/bin" "$BUNDLE/deploy" "$OUT"

# 1. The runtime closure of the CLI, as npm laid it out in this checkout: workspaces (linked) and the rest
#    (hoisted or nested). A workspace's own node_modules (apps/daemon/node_modules/x) goes under its package.
npm ls -w "$CLI" --omit=dev --all --parseable >"$STAGE/closure.txt" 2>"$STAGE/ls.err" || {
  cat "$STAGE/ls.err" >&2
  echo "pack.sh: npm ls found missing or invalid dependencies; run npm ci first" >&2
  exit 1
}
node -e '
  const { readdirSync, readFileSync, realpathSync, writeFileSync } = require("node:fs");
  const { join, relative, sep } = require("node:path");
  const [closure, repo, stage] = process.argv.slice(1);
  const inModules = (p) => p.includes(`${sep}node_modules${sep}`);
  const workspaces = new Map(); // apps/daemon -> @orc/daemon
  const deps = [];
  for (const line of readFileSync(closure, "utf8").split("\n")) {
    if (!line || line === repo) continue;
    const real = realpathSync(line);
    if (!inModules(real)) {
      workspaces.set(relative(repo, real), JSON.parse(readFileSync(join(real, "package.json"), "utf8")).name);
    } else deps.push(relative(repo, line));
  }
  // A workspace dependency npm did not link (an optional one, @orc/ui, is simply left out by npm ls) would
  // ship a release without it: refuse, and say how to get it linked.
  const shipped = new Set(workspaces.values());
  const root = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
  const all = new Set(
    root.workspaces.flatMap((pattern) => {
      const dirs = pattern.endsWith("/*")
        ? readdirSync(join(repo, pattern.slice(0, -2))).map((d) => join(pattern.slice(0, -2), d))
        : [pattern];
      return dirs.flatMap((d) => {
        try {
          return [JSON.parse(readFileSync(join(repo, d, "package.json"), "utf8")).name];
        } catch {
          return [];
        }
      });
    }),
  );
  for (const dir of workspaces.keys()) {
    const pkg = JSON.parse(readFileSync(join(repo, dir, "package.json"), "utf8"));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (all.has(name) && !shipped.has(name)) {
        console.error(`pack.sh: ${pkg.name} needs the workspace ${name}, which is not linked in node_modules: run npm ci (or npm install)`);
        process.exit(1);
      }
    }
  }
  const copies = deps.map((rel) => {
    const at = rel.indexOf("node_modules/");
    const owner = rel.slice(0, at).replace(/\/$/, "");
    const dest = owner === "" ? rel : join("node_modules", workspaces.get(owner) ?? owner, rel.slice(at));
    return `${rel}\t${dest}\n`;
  });
  writeFileSync(join(stage, "workspaces.txt"), [...workspaces.values()].map((n) => `${n}\n`).join(""));
  writeFileSync(join(stage, "copy.txt"), copies.join(""));
' "$STAGE/closure.txt" "$REPO" "$STAGE"

# 2. The workspace packages, each as npm packs it (its `files:`), unpacked where the bundle's node_modules wants it.
WS_FLAGS=()
while read -r name; do WS_FLAGS+=(-w "$name"); done <"$STAGE/workspaces.txt"
npm pack "${WS_FLAGS[@]}" --pack-destination "$STAGE/packs" --json --loglevel=error >"$STAGE/packs.json"
node -e '
  const packs = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  for (const p of packs) console.log(`${p.name}\t${p.filename}`);
' "$STAGE/packs.json" | while IFS=$'\t' read -r name file; do
  mkdir -p "$BUNDLE/node_modules/$name"
  tar -xzf "$STAGE/packs/$file" -C "$BUNDLE/node_modules/$name" --strip-components=1
done
say "packed $(tr '\n' ' ' <"$STAGE/workspaces.txt")and $(wc -l <"$STAGE/copy.txt") runtime dependencies"

# 3. Their runtime dependencies, copied as they are here.
while IFS=$'\t' read -r src dest; do
  mkdir -p "$BUNDLE/$dest"
  # The package without its nested node_modules: the nested dependencies that run are listed on their own.
  find "$REPO/$src" -mindepth 1 -maxdepth 1 ! -name node_modules -exec cp -a {} "$BUNDLE/$dest/" \;
done <"$STAGE/copy.txt"
# What nothing runs: type declarations, source maps and markdown of the dependencies (licences stay). About
# 5,000 of 12,800 files: each one is a file npm writes on every install and upgrade.
find "$BUNDLE/node_modules" -path "$BUNDLE/node_modules/@orc" -prune -o -type f \
  \( -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.map' -o -name '*.md' \) -print0 |
  xargs -0 rm -f
# node-gyp's leftovers of a native addon built here (Makefiles, config.gypi, object files): they name this
# checkout's paths and nothing loads them; the built addon (build/Release/*.node) stays.
find "$BUNDLE/node_modules" -path '*/build/*' \( -name Makefile -o -name '*.Makefile' -o -name '*.mk' \
  -o -name 'config.gypi' -o -name '*.o' -o -name '*.d' -o -name '*.a' \) -type f -print0 | xargs -0 rm -f
find "$BUNDLE/node_modules" -path '*/build/*' -type d \( -name obj.target -o -name .deps \) -prune \
  -exec rm -rf {} +

# 4. The package that holds it all: `orc` with the CLI as its bin, and the installer with its unit.
cp deploy/install.sh deploy/orc.service deploy/orc.env "$BUNDLE/deploy/"
# CommonJS, as apps/cli/bin/orc.js: an ESM bin would start node's ESM loader on every command (~5 ms of
# CPU, docs/benchmarks.md "CLI start-up"); the CLI's bin then runs its bundle from the code cache.
cat >"$BUNDLE/bin/orc.js" <<'JS'
#!/usr/bin/env node
'use strict';
require('@orc/cli/bin/orc.js');
JS
chmod 0755 "$BUNDLE/bin/orc.js" "$BUNDLE/deploy/install.sh"
# Every package at the top of node_modules is a dependency, bundled: npm bundles what the dependencies
# need, but not their peer dependencies (typebox for @fastify/type-provider-typebox) unless named here.
BUNDLE=$BUNDLE node -e '
  const { readFileSync, readdirSync, writeFileSync } = require("node:fs");
  const { join } = require("node:path");
  const root = JSON.parse(readFileSync("package.json", "utf8"));
  const modules = join(process.env.BUNDLE, "node_modules");
  const names = readdirSync(modules)
    .flatMap((d) => (d.startsWith("@") ? readdirSync(join(modules, d)).map((n) => `${d}/${n}`) : [d]))
    .sort();
  const version = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
  const pkg = {
    name: "orc",
    version: root.version,
    private: true,
    description: root.description,
    license: root.license,
    type: "commonjs",
    engines: root.engines,
    bin: { orc: "bin/orc.js" },
    files: ["bin", "deploy"],
    dependencies: Object.fromEntries(names.map((n) => [n, version(n)])),
    bundleDependencies: names,
  };
  writeFileSync(join(process.env.BUNDLE, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
'

(cd "$BUNDLE" && npm pack --pack-destination "$OUT" --json --loglevel=error) >"$STAGE/release.json"
BUNDLE=$BUNDLE node -e '
  const { readFileSync } = require("node:fs");
  const [r] = JSON.parse(readFileSync(process.argv[1], "utf8"));
  const wanted = JSON.parse(readFileSync(`${process.env.BUNDLE}/package.json`, "utf8")).bundleDependencies;
  const missing = wanted.filter((n) => !r.bundled.includes(n));
  if (missing.length > 0) {
    console.error(`pack.sh: npm left out of the bundle: ${missing.join(", ")}`);
    process.exit(1);
  }
  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  console.error(`orc pack: ${r.filename}: ${mb(r.size)} MB packed, ${mb(r.unpackedSize)} MB unpacked, ${r.entryCount} files, ${r.bundled.length} bundled packages`);
  console.log(require("node:path").join(process.argv[2], r.filename));
' "$STAGE/release.json" "$OUT"
