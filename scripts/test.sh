#!/usr/bin/env bash
# The whole test command: install, engine, build, lint, typecheck, unit + integration tests.
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=${FORCE_COLOR:-0}
start=$(date +%s)

# `npm install`, not `npm ci`: npm 11 here writes lockfiles without other platforms' optional binaries
# (biome, rollup, turbo), and `npm ci` then refuses them as "not in sync". Install still follows the lock.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
bash scripts/engine.sh
npx turbo run build --output-logs=errors-only
npx biome check .
npx turbo run typecheck --output-logs=errors-only
mkdir -p .orc-dev
npx vitest run --reporter=default --reporter=json --outputFile.json=.orc-dev/vitest.json "$@"
node -e '
const r = JSON.parse(require("fs").readFileSync(".orc-dev/vitest.json", "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
'
echo "test command took $(( $(date +%s) - start )) s"
