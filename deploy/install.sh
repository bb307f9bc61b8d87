#!/usr/bin/env bash
# Installs the built orc from this checkout as a service:
#   <prefix>/lib/orc        the built workspace (cli, daemon, spec) with its node_modules
#   <prefix>/bin/orc        symlink to the CLI
#   <unit-dir>/orc.service  the systemd unit, enabled and (re)started when systemd runs
# Idempotent: running it again upgrades in place (restarting the daemon). `--uninstall` removes it all but
# the state in /var/lib/orc (add `--purge` for that too). Compose projects' containers are never touched.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/install.sh [--prefix DIR] [--unit-dir DIR] [--no-start] [--no-build] [--compose-plugin]
                         [--uninstall [--purge]]

  --prefix DIR     install under DIR (default /usr/local): DIR/lib/orc and DIR/bin/orc
  --unit-dir DIR   where orc.service goes (default /etc/systemd/system)
  --no-start       install the unit but do not enable or start it
  --no-build       install what is built already (default: build the cli, daemon and spec first)
  --compose-plugin also answer `docker compose` with orc, for every user (the docker CLI plugin in
                   /usr/local/lib/docker/cli-plugins; what was there is kept aside, put back by --uninstall)
  --plugin-dir DIR the docker CLI plugin directory for --compose-plugin (and --uninstall)
  --uninstall      stop, disable and remove orc (state in /var/lib/orc is kept)
  --purge          with --uninstall: also remove /var/lib/orc (registered projects; not their containers)
USAGE
}

PREFIX=/usr/local
UNIT_DIR=/etc/systemd/system
START=1
BUILD=1
UNINSTALL=0
PURGE=0
PLUGIN=0
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
    --unit-dir) UNIT_DIR=${2:?--unit-dir needs a directory}; shift 2 ;;
    --no-start) START=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    --compose-plugin) PLUGIN=1; shift ;;
    --plugin-dir) PLUGIN_DIR=${2:?--plugin-dir needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB=$PREFIX/lib/orc
BIN=$PREFIX/bin/orc
UNIT=$UNIT_DIR/orc.service

say() { echo "orc install: $*"; }
# systemctl only when systemd is the running init and the unit goes where systemd looks.
have_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ "$UNIT_DIR" = /etc/systemd/system ]; }

if [ "$UNINSTALL" = 1 ]; then
  if have_systemd && systemctl list-unit-files orc.service >/dev/null 2>&1; then
    systemctl disable --now orc.service 2>/dev/null || true
  fi
  rm -f "$UNIT"
  have_systemd && systemctl daemon-reload || true
  # The compose plugin, if it is ours: put back what it replaced (while orc is still there to do it).
  if grep -qs 'installed by `orc install-plugin`' "$PLUGIN_DIR/docker-compose" && [ -x "$BIN" ]; then
    "$BIN" uninstall-plugin --dir "$PLUGIN_DIR" | sed 's/^/orc install: /'
  fi
  # Only our own symlink: never a foreign `orc` someone else installed.
  if [ -L "$BIN" ] && [ "$(readlink "$BIN")" = "$LIB/apps/cli/bin/orc.js" ]; then rm -f "$BIN"; fi
  rm -rf "$LIB" "$LIB.new" "$LIB.old"
  if [ "$PURGE" = 1 ]; then rm -rf /var/lib/orc; say "removed /var/lib/orc"; fi
  say "uninstalled (containers of your projects were left as they are)"
  exit 0
fi

command -v node >/dev/null || { echo "install.sh: node (>= 20) is required" >&2; exit 1; }
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || { echo "install.sh: node >= 20 is required (found $(node --version))" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
  say "building"
  (cd "$REPO" && npx turbo run build --filter=@orc/cli... >/dev/null)
fi
for built in apps/cli/dist/orc.js apps/daemon/dist/index.js packages/spec/dist/index.js; do
  [ -f "$REPO/$built" ] || { echo "install.sh: $built is missing; build first (npx turbo run build)" >&2; exit 1; }
done

# Stage next to the target, then swap: a half-copied install is never the one in use.
STAGE=$LIB.new
rm -rf "$STAGE"
mkdir -p "$STAGE/apps/cli" "$STAGE/apps/daemon" "$STAGE/packages/spec" "$(dirname "$BIN")" "$UNIT_DIR"
cp "$REPO/package.json" "$STAGE/"
cp -a "$REPO/node_modules" "$STAGE/node_modules"
cp -a "$REPO/apps/cli/package.json" "$REPO/apps/cli/bin" "$REPO/apps/cli/dist" "$STAGE/apps/cli/"
cp -a "$REPO/apps/daemon/package.json" "$REPO/apps/daemon/dist" "$STAGE/apps/daemon/"
cp -a "$REPO/packages/spec/package.json" "$REPO/packages/spec/dist" "$STAGE/packages/spec/"
# Workspace links point into the checkout's layout (relative), which the stage mirrors; drop the ones
# (tests, benches) it does not carry, and the dev tools nothing at run time needs.
find "$STAGE/node_modules/@orc" -maxdepth 1 -type l ! -exec test -e {} \; -delete
rm -rf "$STAGE/node_modules/@biomejs" "$STAGE/node_modules/@turbo" "$STAGE/node_modules/turbo" \
  "$STAGE/node_modules/typescript" "$STAGE/node_modules/.cache"
chmod -R go-w "$STAGE"

if [ -d "$LIB" ]; then mv "$LIB" "$LIB.old"; fi
mv "$STAGE" "$LIB"
rm -rf "$LIB.old"
ln -sfn "$LIB/apps/cli/bin/orc.js" "$BIN"
chmod 0755 "$LIB/apps/cli/bin/orc.js"

sed "s#^ExecStart=/usr/local/bin/orc #ExecStart=$BIN #" "$REPO/deploy/orc.service" >"$UNIT.tmp"
chmod 0644 "$UNIT.tmp"
mv "$UNIT.tmp" "$UNIT"
say "installed $("$BIN" --version) into $LIB, $BIN and $UNIT"
if [ "$PLUGIN" = 1 ]; then "$BIN" install-plugin --dir "$PLUGIN_DIR" | sed 's/^/orc install: /'; fi

if ! have_systemd; then
  say "systemd is not running here: start the daemon yourself with '$BIN daemon' (see docs/running-as-a-service.md)"
  exit 0
fi
systemctl daemon-reload
if [ "$START" = 0 ]; then
  say "unit installed; enable it with: systemctl enable --now orc"
  exit 0
fi
systemctl enable orc.service >/dev/null
# An upgrade restarts the daemon onto the new code; the first install starts it.
systemctl restart orc.service
say "orc.service enabled and running (socket /run/orc/orc.sock)"
