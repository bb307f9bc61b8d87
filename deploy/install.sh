#!/usr/bin/env bash
# Installs orc as a service, from this checkout (built) or from packed tarballs (no checkout needed):
#   <prefix>/lib/orc        the cli, daemon and spec with their runtime node_modules
#   <prefix>/bin/orc        symlink to the CLI
#   <unit-dir>/orc.service  the systemd unit, enabled and (re)started when systemd runs
#   <config-dir>/orc.env    the unit's settings (EnvironmentFile): written once, then only the keys that
#                           --ui, --ui-listen, --token-file, --socket-group, --allow-remote name are changed
# Idempotent: running it again upgrades in place (restarting the daemon). `--uninstall` removes it all but
# the state in /var/lib/orc and the settings in /etc/orc (add `--purge` for those too). Compose projects'
# containers are never touched.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/install.sh [--from-tarball FILE...] [--prefix DIR] [--unit-dir DIR] [--config-dir DIR]
                         [--ui] [--ui-listen tcp://HOST:PORT] [--token-file FILE] [--allow-remote]
                         [--socket-group NAME] [--no-start] [--no-build] [--compose-plugin]
                         [--uninstall [--purge]]

  --from-tarball FILE...  install from packed tarballs instead of this checkout: the release tarball of
                   scripts/pack.sh (orc-VERSION.tgz, which carries every runtime dependency), or npm packs
                   of the packages whose dependencies npm's cache holds. `npm install --offline`: no registry.
  --prefix DIR     install under DIR (default /usr/local): DIR/lib/orc and DIR/bin/orc
  --unit-dir DIR   where orc.service goes (default /etc/systemd/system)
  --config-dir DIR where orc.env and a generated token go (default /etc/orc)
  --ui             serve the status page (ORC_UI=1), on tcp://127.0.0.1:7324 unless --ui-listen says
                   (or orc.env already does); makes a token if none is set
  --ui-listen URL  the page's TCP listener beside the socket, tcp://HOST:PORT (ORC_UI_LISTEN); implies --ui
  --token-file FILE  the token for TCP and the page's login (ORC_TOKEN_FILE); made (0600, random) when it
                   does not exist. Default with --ui: the one orc.env names, else CONFIG-DIR/token
  --allow-remote   let --ui-listen bind a non-loopback address (put TLS in front; prefer an SSH tunnel)
  --socket-group NAME  let this group use the socket (ORC_SOCKET_GROUP)
  --no-start       install the unit but do not enable or start it
  --no-build       install what is built already (default: build the cli, daemon and spec first)
  --compose-plugin also answer `docker compose` with orc, for every user (the docker CLI plugin in
                   /usr/local/lib/docker/cli-plugins; what was there is kept aside, put back by --uninstall)
  --plugin-dir DIR the docker CLI plugin directory for --compose-plugin (and --uninstall)
  --uninstall      stop, disable and remove orc (state in /var/lib/orc and settings are kept)
  --purge          with --uninstall: also remove /var/lib/orc (registered projects; not their containers)
                   and the orc.env and token this script made
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
CONFIG_DIR=/etc/orc
TARBALLS=()
UI=0
UI_LISTEN=
TOKEN_FILE=
ALLOW_REMOTE=0
SOCKET_GROUP=
DEFAULT_UI_LISTEN=tcp://127.0.0.1:7324
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
    --config-dir) CONFIG_DIR=${2:?--config-dir needs a directory}; shift 2 ;;
    --from-tarball)
      shift
      while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do TARBALLS+=("$1"); shift; done
      [ ${#TARBALLS[@]} -gt 0 ] || { echo "install.sh: --from-tarball needs at least one .tgz" >&2; exit 2; } ;;
    --ui) UI=1; shift ;;
    --ui-listen) UI_LISTEN=${2:?--ui-listen needs tcp://HOST:PORT}; UI=1; shift 2 ;;
    --token-file) TOKEN_FILE=${2:?--token-file needs a file}; shift 2 ;;
    --allow-remote) ALLOW_REMOTE=1; shift ;;
    --socket-group) SOCKET_GROUP=${2:?--socket-group needs a group name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

# The unit and env templates sit beside this script: deploy/ in a checkout, package/deploy/ in a release tarball.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
LIB=$PREFIX/lib/orc
BIN=$PREFIX/bin/orc
UNIT=$UNIT_DIR/orc.service
ENV_FILE=$CONFIG_DIR/orc.env
# Where the CLI's bin lives in each kind of install (the symlink points at one of them).
ENTRIES=("$LIB/apps/cli/bin/orc.js" "$LIB/node_modules/orc/bin/orc.js" "$LIB/node_modules/@orc/cli/bin/orc.js")

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
  if [ -L "$BIN" ]; then
    for entry in "${ENTRIES[@]}"; do if [ "$(readlink "$BIN")" = "$entry" ]; then rm -f "$BIN"; fi; done
  fi
  rm -rf "$LIB" "$LIB.new" "$LIB.old"
  if [ "$PURGE" = 1 ]; then
    rm -rf /var/lib/orc
    say "removed /var/lib/orc"
    # Settings and a token only when they are ours (a token file named elsewhere is the user's).
    if grep -qs '^# orc daemon settings, read by orc.service' "$ENV_FILE"; then
      generated=$(sed -n 's/^ORC_TOKEN_FILE=//p' "$ENV_FILE")
      if [ "$generated" = "$CONFIG_DIR/token" ]; then rm -f "$CONFIG_DIR/token"; fi
      rm -f "$ENV_FILE"
      rmdir "$CONFIG_DIR" 2>/dev/null || true
      say "removed $ENV_FILE"
    fi
  fi
  say "uninstalled (containers of your projects were left as they are)"
  exit 0
fi

command -v node >/dev/null || { echo "install.sh: node (>= 20) is required" >&2; exit 1; }
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || { echo "install.sh: node >= 20 is required (found $(node --version))" >&2; exit 1; }

# --ui-listen: a tcp:// address, loopback unless --allow-remote (the daemon refuses it too; say so now).
if [ -n "$UI_LISTEN" ]; then
  case "$UI_LISTEN" in
    tcp://*:[0-9]*) ;;
    *) echo "install.sh: --ui-listen must be tcp://HOST:PORT (e.g. tcp://127.0.0.1:7324), not $UI_LISTEN" >&2; exit 2 ;;
  esac
  listen_host=${UI_LISTEN#tcp://}
  listen_host=${listen_host%:*}
  case "$listen_host" in
    127.*|localhost|\[::1\]|::1) ;;
    *) if [ "$ALLOW_REMOTE" = 0 ]; then
         echo "install.sh: --ui-listen $UI_LISTEN is not a loopback address: pass --allow-remote too (and put TLS in front), or listen on 127.0.0.1 and use an SSH tunnel" >&2
         exit 2
       fi ;;
  esac
fi

mkdir -p "$(dirname "$BIN")" "$UNIT_DIR"
# Stage next to the target, then swap: a half-copied install is never the one in use.
STAGE=$LIB.new
rm -rf "$STAGE"
if [ ${#TARBALLS[@]} -gt 0 ]; then
  # From tarballs: npm installs them into the stage, offline (no registry is asked; what they do not carry
  # must be in npm's cache). No checkout is read: the unit and env templates come from beside this script.
  command -v npm >/dev/null || { echo "install.sh: npm is required to install from tarballs (apt-get install npm)" >&2; exit 1; }
  ABS=()
  for t in "${TARBALLS[@]}"; do
    [ -f "$t" ] || { echo "install.sh: no such tarball: $t" >&2; exit 1; }
    ABS+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")")
  done
  mkdir -p "$STAGE"
  echo '{ "name": "orc-install", "private": true, "description": "orc, installed by deploy/install.sh" }' >"$STAGE/package.json"
  say "installing ${TARBALLS[*]##*/} (npm install --omit=dev --offline)"
  if ! npm install --prefix "$STAGE" --omit=dev --offline --ignore-scripts --no-audit --no-fund --loglevel=error \
    "${ABS[@]}" >"$STAGE.log" 2>&1; then
    cat "$STAGE.log" >&2
    echo "install.sh: npm could not install the tarballs offline; the release tarball of scripts/pack.sh carries every dependency" >&2
    rm -rf "$STAGE" "$STAGE.log"
    exit 1
  fi
  rm -f "$STAGE.log"
  ENTRY=
  for rel in node_modules/orc/bin/orc.js node_modules/@orc/cli/bin/orc.js; do
    if [ -f "$STAGE/$rel" ]; then ENTRY=$LIB/$rel; break; fi
  done
  [ -n "$ENTRY" ] || { echo "install.sh: the tarballs hold no orc CLI (orc-VERSION.tgz or @orc/cli)" >&2; rm -rf "$STAGE"; exit 1; }
else
  if [ "$BUILD" = 1 ]; then
    say "building"
    (cd "$REPO" && npx turbo run build --filter=@orc/cli... >/dev/null)
  fi
  for built in apps/cli/dist/orc.js apps/daemon/dist/index.js packages/spec/dist/index.js; do
    [ -f "$REPO/$built" ] || { echo "install.sh: $built is missing; build first (npx turbo run build)" >&2; exit 1; }
  done
  mkdir -p "$STAGE/apps/cli" "$STAGE/apps/daemon" "$STAGE/packages/spec"
  cp "$REPO/package.json" "$STAGE/"
  cp -a "$REPO/node_modules" "$STAGE/node_modules"
  cp -a "$REPO/apps/cli/package.json" "$REPO/apps/cli/bin" "$REPO/apps/cli/dist" "$STAGE/apps/cli/"
  cp -a "$REPO/apps/daemon/package.json" "$REPO/apps/daemon/dist" "$STAGE/apps/daemon/"
  cp -a "$REPO/packages/spec/package.json" "$REPO/packages/spec/dist" "$STAGE/packages/spec/"
  # The status page's built files (orc daemon --ui), when this checkout has them.
  if [ -d "$REPO/apps/ui/dist" ]; then
    mkdir -p "$STAGE/apps/ui" && cp -a "$REPO/apps/ui/package.json" "$REPO/apps/ui/dist" "$STAGE/apps/ui/"
  fi
  # Workspace links point into the checkout's layout (relative), which the stage mirrors; drop the ones
  # (tests, benches) it does not carry, and the dev tools nothing at run time needs.
  find "$STAGE/node_modules/@orc" -maxdepth 1 -type l ! -exec test -e {} \; -delete
  rm -rf "$STAGE/node_modules/@biomejs" "$STAGE/node_modules/@turbo" "$STAGE/node_modules/turbo" \
    "$STAGE/node_modules/typescript" "$STAGE/node_modules/.cache"
  ENTRY=$LIB/apps/cli/bin/orc.js
fi
chmod -R go-w "$STAGE"

if [ -d "$LIB" ]; then mv "$LIB" "$LIB.old"; fi
mv "$STAGE" "$LIB"
rm -rf "$LIB.old"
ln -sfn "$ENTRY" "$BIN"
chmod 0755 "$ENTRY"

# The settings: the template once, then only the keys the flags name (the rest is the user's).
set_env() { # KEY VALUE: replace the first `KEY=` or `#KEY=` line, or append one
  local key=$1 value=$2
  if grep -qE "^#? ?$key=" "$ENV_FILE"; then
    KEY=$key VALUE=$value node -e '
      const fs = require("node:fs");
      const file = process.argv[1];
      const { KEY, VALUE } = process.env;
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const at = lines.findIndex((l) => new RegExp(`^# ?${KEY}=`).test(l) || l.startsWith(`${KEY}=`));
      const set = lines.findIndex((l) => l.startsWith(`${KEY}=`));
      lines[set >= 0 ? set : at] = `${KEY}=${VALUE}`;
      fs.writeFileSync(file, lines.join("\n"));
    ' "$ENV_FILE"
  else
    echo "$key=$value" >>"$ENV_FILE"
  fi
}
get_env() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }
mkdir -p "$CONFIG_DIR"
chmod 0755 "$CONFIG_DIR"
if [ ! -f "$ENV_FILE" ]; then
  (umask 077 && cp "$HERE/orc.env" "$ENV_FILE")
  chmod 0600 "$ENV_FILE"
fi
# The daemon serves the page on TCP only (the socket stays the CLI's): --ui alone gets the loopback default.
if [ "$UI" = 1 ] && [ -z "$UI_LISTEN" ] && [ -z "$(get_env ORC_UI_LISTEN)" ]; then UI_LISTEN=$DEFAULT_UI_LISTEN; fi
if [ "$UI" = 1 ]; then set_env ORC_UI 1; fi
if [ -n "$UI_LISTEN" ]; then set_env ORC_UI_LISTEN "$UI_LISTEN"; fi
if [ -n "$SOCKET_GROUP" ]; then set_env ORC_SOCKET_GROUP "$SOCKET_GROUP"; fi
ARGS=$(get_env ORC_DAEMON_ARGS)
if [ "$ALLOW_REMOTE" = 1 ] && [[ " $ARGS " != *" --allow-remote "* ]]; then
  set_env ORC_DAEMON_ARGS "${ARGS:+$ARGS }--allow-remote"
fi
# A token when one is named, or for the page (TCP needs one): the one set, else CONFIG-DIR/token; made here
# when the file is missing (0600, never printed).
if [ -z "$TOKEN_FILE" ] && [ "$UI" = 1 ]; then TOKEN_FILE=$(get_env ORC_TOKEN_FILE); fi
if [ -z "$TOKEN_FILE" ] && [ "$UI" = 1 ]; then TOKEN_FILE=$CONFIG_DIR/token; fi
if [ -n "$TOKEN_FILE" ]; then
  case "$TOKEN_FILE" in /*) ;; *) TOKEN_FILE=$(pwd)/$TOKEN_FILE ;; esac
  if [ ! -s "$TOKEN_FILE" ]; then
    mkdir -p "$(dirname "$TOKEN_FILE")"
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex") + "\n")' >"$TOKEN_FILE")
    say "made a token in $TOKEN_FILE (0600): log in to the page with its content"
  fi
  chmod 0600 "$TOKEN_FILE"
  set_env ORC_TOKEN_FILE "$TOKEN_FILE"
fi

sed -e "s#^ExecStart=/usr/local/bin/orc #ExecStart=$BIN #" \
  -e "s#^EnvironmentFile=-/etc/orc/orc.env\$#EnvironmentFile=-$ENV_FILE#" "$HERE/orc.service" >"$UNIT.tmp"
chmod 0644 "$UNIT.tmp"
mv "$UNIT.tmp" "$UNIT"
say "installed $("$BIN" --version) into $LIB, $BIN, $UNIT and $ENV_FILE"
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
