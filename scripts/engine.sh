#!/usr/bin/env bash
# Make sure a Docker Engine answers and the local fixture images exist.
#
#   1. If DOCKER_HOST or /var/run/docker.sock answers, use it.
#   2. Else, as root on Debian: install docker.io, busybox-static and docker-registry, start dockerd in
#      the background (log in .orc-dev/dockerd.log) and wait for its socket.
#   3. Else say what to do and exit non-zero.
# Then build the fixture images (no public registry is reachable from where orc is tested).
# Idempotent; a second run with everything in place takes well under 2 s.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dev="$root/.orc-dev"
mkdir -p "$dev"

FIXTURE_IMAGE=${ORC_FIXTURE_IMAGE:-orc-fixture/busybox:1}

say() { printf 'engine: %s\n' "$*" >&2; }

engine_answers() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) or point DOCKER_HOST at an engine"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$dev/apt.log" 2>&1
  # policy-rc.d may forbid starting services in a container; we start dockerd ourselves below.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$dev/apt.log" 2>&1 || {
    tail -20 "$dev/apt.log" >&2
    exit 1
  }
}

start_dockerd() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    say "DOCKER_HOST=$DOCKER_HOST does not answer; fix it or unset it"
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    say "no Docker Engine answers at /var/run/docker.sock, and starting one needs root."
    say "start one (sudo systemctl start docker, or sudo $0) or set DOCKER_HOST"
    exit 1
  fi
  install_packages
  # Docker's default pools hold 31 bridge networks (172.17-31/16 and 192.168/20s). The test suite runs
  # many projects at once, each with a network or more, and a fresh engine ran out of them in CI
  # ("could not find an available, non-overlapping IPv4 address pool"). 10.128.0.0/14 cut into /24s
  # holds 1,024, clear of the swarm lab (10.79.0.0/24) and of the subnets tests pin. A daemon.json
  # that sets its own pools wins (dockerd refuses the same option twice).
  local pools=(--default-address-pool base=10.128.0.0/14,size=24)
  if grep -qs '"default-address-pools"' /etc/docker/daemon.json; then pools=(); fi
  say "starting dockerd (log: $dev/dockerd.log)"
  # setsid: the engine must outlive this script and the test run that called it.
  setsid nohup dockerd "${pools[@]}" >"$dev/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 120); do
    if engine_answers; then
      say "dockerd is up after $((i / 2)) s"
      return 0
    fi
    sleep 0.5
  done
  say "dockerd did not answer within 60 s; last lines of its log:"
  tail -20 "$dev/dockerd.log" >&2
  exit 1
}

build_fixture() {
  if docker image inspect "$FIXTURE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  [ -x /bin/busybox ] || install_packages
  local bb
  bb=$(command -v busybox || echo /bin/busybox)
  local linkage
  linkage=$(ldd "$bb" 2>&1 || true)
  if [[ $linkage != *'not a dynamic executable'* ]]; then
    say "$bb is not statically linked; install busybox-static"
    exit 1
  fi
  local fs
  fs=$(mktemp -d)
  trap 'rm -rf "$fs"' RETURN
  mkdir -p "$fs/bin" "$fs/etc" "$fs/tmp" "$fs/var/www" "$fs/root" "$fs/data"
  cp "$bb" "$fs/bin/busybox"
  local applet
  for applet in $("$bb" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$fs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$fs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$fs/etc/group"
  chmod 1777 "$fs/tmp"
  echo 'orc fixture' >"$fs/var/www/index.html"
  tar -C "$fs" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'CMD ["sh"]' \
    --change 'LABEL dev.orc.fixture=busybox' \
    - "$FIXTURE_IMAGE" >/dev/null
  say "built fixture image $FIXTURE_IMAGE"
}

if ! engine_answers; then
  start_dockerd
fi
build_fixture
