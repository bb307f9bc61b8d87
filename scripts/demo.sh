#!/usr/bin/env bash
# A newcomer's first command: install, ensure the engine, build, bring up the demo stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/engine.sh
npx turbo run build --output-logs=errors-only
echo "orc $(node_modules/.bin/orc --version) is built. The daemon and 'orc up' arrive with the daemon and CLI issues."
