#!/usr/bin/env bash
# The whole test command: install, engine, build, lint, typecheck, unit + integration tests.
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=${FORCE_COLOR:-0}
start=$(date +%s)

# `npm ci`: exactly the committed lockfile (which holds every platform's optional binaries), never a rewrite.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/engine.sh
npx turbo run build --output-logs=errors-only
npx biome check .
node scripts/check-imports.mjs # the import rules of docs/architecture.md
npx turbo run typecheck --output-logs=errors-only
mkdir -p .orc-dev
status=0
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json=.orc-dev/vitest.json "$@" || status=$?
# The swarm target on a 3-node lab of private dockerds (scripts/swarm-lab.sh; the shared engine is never a manager).
rm -f .orc-dev/vitest-cluster.json
npx vitest run --project cluster --reporter=default --reporter=json --outputFile.json=.orc-dev/vitest-cluster.json || status=$?
# Last and alone: these take the engine down (dockerd restart), which would fail every test running beside them.
rm -f .orc-dev/vitest-disruptive.json
npx vitest run --project disruptive --reporter=default --reporter=json --outputFile.json=.orc-dev/vitest-disruptive.json || status=$?
bash scripts/engine.sh >/dev/null # whatever the disruptive run left, the engine is up again
node -e '
const fs = require("fs");
const runs = [".orc-dev/vitest.json", ".orc-dev/vitest-cluster.json", ".orc-dev/vitest-disruptive.json"]
  .filter((f) => fs.existsSync(f))
  .map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
const sum = (k) => runs.reduce((n, r) => n + (r[k] ?? 0), 0);
console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
'
echo "test command took $(( $(date +%s) - start )) s"
exit "$status"
