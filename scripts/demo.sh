#!/usr/bin/env bash
# A newcomer's first command: install, ensure the engine, build, bring up the demo stack.
#   ./scripts/demo.sh            WEB_PORT=9090 ./scripts/demo.sh   (if 8080 is taken)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
[ -d node_modules ] || npm ci --no-audit --no-fund  # exactly the committed lockfile
bash scripts/engine.sh
npx turbo run build --output-logs=errors-only

orc="$root/node_modules/.bin/orc"
port=${WEB_PORT:-8080}
echo "orc $("$orc" --version) is built."
echo
# `orc up` starts a daemon in the background when none answers (ORC_HOST, default /run/orc/orc.sock for root).
cd examples/demo
WEB_PORT=$port "$orc" up -d --wait
echo
"$orc" ps
cat <<MSG

The demo stack runs: db (healthy, data in volume demo_dbdata) <- api <- web.
  open    http://localhost:$port/             the web tier
          http://localhost:$port/cgi-bin/api  web asks the api (alias "backend") on the front network
  shell   export PATH="$root/node_modules/.bin:\$PATH"; cd $root/examples/demo
  look    orc ps    orc logs -f    orc events    orc exec db cat /data/boot.log
  change  edit compose.yaml, then: orc up -d   (only what changed is recreated)
  stop    orc down   (keeps the db volume; orc down -v removes it)
MSG
