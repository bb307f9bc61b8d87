#!/usr/bin/env bash
# swarm-lab.sh: a throwaway multi-node Docker Swarm on ONE Linux host, for orc's cluster tests and for
# users who want to try `orc up --target swarm` without a cluster.
#
#   scripts/swarm-lab.sh up [N]   start N nodes (default 3): n1 = manager + image registry, the rest workers
#   scripts/swarm-lab.sh env      print DOCKER_HOST of the manager and the registry address (shell syntax)
#   scripts/swarm-lab.sh status   nodes as the manager sees them
#   scripts/swarm-lab.sh kill K   SIGKILL node K's dockerd (a lost node);  start K: bring it back
#   scripts/swarm-lab.sh down     stop and remove everything the lab created
#
# Each node is an extra dockerd (with its own managed containerd) running in
#   - its own network namespace $P-nK (a veth into a bridge that lives in a "switch" netns $P-sw),
#   - its own mount namespace (cgroup fs mounted again inside; /etc/docker bind-mounted to a per-node
#     dir so each engine gets its own ID) and UTS namespace (hostname $P-nK: distinct `docker node ls`),
#   - its own --data-root, --exec-root, --pidfile and -H unix socket under $LIB and $RUN.
# The host's engine (/var/run/docker.sock, /var/lib/docker, its iptables rules) is never used or touched:
# every docker call here names a lab socket, the lab dockerds' iptables rules live in their own netns,
# and the bridge lives in its own netns so the host's FORWARD policy does not apply.
# Node K has the address $LAB_NET.(10+K); the host side of the lab is $LAB_NET.1 (host-mode published
# ports of the lab answer there). Nodes have no default route: nothing in the lab reaches anything else.
#
# Names are prefixed (ORC_LAB_PREFIX, default "orcsl") and the subnet is ORC_LAB_NET (default 10.79.0)
# so the lab cannot clash with the host's or another lab's objects.
# Needs: root, iproute2, util-linux (unshare), docker.io (dockerd, containerd, runc), busybox-static,
# docker-registry (Debian), curl. Kernels without IPVS (CONFIG_IP_VS off): Swarm VIPs and the ingress
# routing mesh do not answer; use endpoint_mode dnsrr and `mode: host` published ports.
set -euo pipefail

P=${ORC_LAB_PREFIX:-orcsl}
LAB_NET=${ORC_LAB_NET:-10.79.0}
LIB=${ORC_LAB_LIB:-/var/lib/$P}
RUN=${ORC_LAB_RUN:-/run/$P}
LOG=$RUN/log
REG=$LAB_NET.11:5000
IMG=$REG/busybox:1
SELF=$(readlink -f "$0")

d() {
  local n=$1
  shift
  docker -H "unix://$RUN/$n.sock" "$@"
}
ip_of() { echo "$LAB_NET.$((10 + $1))"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }
say() { printf '>> %s\n' "$*" >&2; }
wait_for() { # wait_for SECONDS CMD...: poll every 0.2 s
  local end=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.2
  done
}

need() {
  [ "$(id -u)" = 0 ] || {
    say "the lab needs root (network namespaces, dockerd)"
    exit 1
  }
  local c
  for c in ip unshare dockerd docker docker-registry curl; do
    command -v "$c" >/dev/null 2>&1 || {
      say "missing: $c (Debian: apt-get install iproute2 util-linux docker.io docker-registry curl busybox-static)"
      exit 1
    }
  done
  [ -x /bin/busybox ] || {
    say "missing: /bin/busybox (apt-get install busybox-static)"
    exit 1
  }
}

net_up() { # the switch netns with a bridge; host-side veth $LAB_NET.1
  [ -e "/run/netns/$P-sw" ] && return 0
  ip netns add "$P-sw"
  ip netns exec "$P-sw" ip link set lo up
  ip netns exec "$P-sw" ip link add br0 type bridge
  ip netns exec "$P-sw" ip link set br0 up
  ip link add "$P-host" type veth peer name hostp netns "$P-sw"
  ip addr add "$LAB_NET.1/24" dev "$P-host"
  ip link set "$P-host" up
  ip netns exec "$P-sw" ip link set hostp master br0 up
}

node_net() { # netns $P-nK, eth0 = $LAB_NET.(10+K)/24, no default route
  local k=$1
  [ -e "/run/netns/$P-n$k" ] && return 0
  ip netns add "$P-n$k"
  ip netns exec "$P-n$k" ip link set lo up
  ip link add "$P-n${k}e" netns "$P-n$k" type veth peer name "n${k}p" netns "$P-sw"
  ip netns exec "$P-n$k" ip link set "$P-n${k}e" name eth0
  ip netns exec "$P-n$k" ip addr add "$(ip_of "$k")/24" dev eth0
  ip netns exec "$P-n$k" ip link set eth0 up
  ip netns exec "$P-sw" ip link set "n${k}p" master br0 up
}

node_start() { # node_start K: dockerd of node K in the background; waits for its API
  local k=$1
  mkdir -p "$LIB/n$k/etc-docker" "$RUN/n$k" "$LOG"
  [ -f "$RUN/daemon.json" ] || echo '{}' >"$RUN/daemon.json"
  rm -f "$RUN/n$k.sock"
  # `ip netns exec` remounts /sys in a private mount ns, which hides the cgroup mounts: pass the host's
  # cgroup layout in so the inner step can mount it again.
  LAB_CG=$(awk '($3=="cgroup"||$3=="cgroup2") && $2 ~ "^/sys/fs/cgroup" {print $2, $3, $4}' /proc/mounts) \
    setsid ip netns exec "$P-n$k" unshare --uts "$SELF" _inner "$k" >>"$LOG/n$k.log" 2>&1 </dev/null &
  wait_for 30 d "n$k" version || {
    say "n$k: dockerd did not come up, see $LOG/n$k.log"
    return 1
  }
}

_inner() { # inside netns $P-nK, private mount + UTS ns; becomes dockerd
  local k=$1 dir type opts
  hostname "$P-n$k"
  if [ "$(awk '$1=="/sys/fs/cgroup"{print $2}' <<<"$LAB_CG")" = cgroup2 ]; then
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
  else
    mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
    while read -r dir type opts; do
      mkdir -p "$dir"
      mount -t "$type" -o "$opts" cgroup "$dir"
    done <<<"$LAB_CG"
  fi
  # without this every lab engine would share the host's /etc/docker/key.json (the same engine ID)
  mkdir -p /etc/docker
  mount --bind "$LIB/n$k/etc-docker" /etc/docker
  exec dockerd --config-file "$RUN/daemon.json" \
    --data-root "$LIB/n$k" --exec-root "$RUN/n$k" --pidfile "$RUN/n$k.pid" \
    -H "unix://$RUN/n$k.sock" --cgroup-parent "/$P-n$k" --iptables=true \
    --swarm-default-advertise-addr "$(ip_of "$k")" --insecure-registry "$REG"
}

image_tar() { # a static busybox rootfs -> $LIB/busybox.tar
  local r=$LIB/rootfs a
  [ -f "$LIB/busybox.tar" ] && return 0
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/var/www"
  cp /bin/busybox "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  chmod 1777 "$r/tmp"
  tar -C "$r" -cf "$LIB/busybox.tar" .
  rm -rf "$r"
}

registry_start() { # docker-registry (distribution 2.x) in the manager's netns, on $REG
  mkdir -p "$LIB/registry"
  cat >"$LIB/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $LIB/registry}, delete: {enabled: true}}
http: {addr: $REG}
EOF
  setsid ip netns exec "$P-n1" docker-registry serve "$LIB/registry.yml" >>"$LOG/registry.log" 2>&1 </dev/null &
  echo $! >"$RUN/registry.pid"
  wait_for 15 curl -sf "http://$REG/v2/"
}

cmd_up() {
  local n=${1:-3} t0 t1 k tok pids=()
  need
  [ "$n" -ge 1 ] && [ "$n" -le 9 ] || {
    say "up N: 1 to 9 nodes"
    exit 2
  }
  if [ -S "$RUN/n1.sock" ] && d n1 info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
    say "the lab is already up ($RUN/n1.sock); 'down' first for a fresh one"
    return 0
  fi
  t0=$(now)
  mkdir -p "$LIB" "$RUN" "$LOG"
  net_up
  for k in $(seq 1 "$n"); do node_net "$k"; done
  for k in $(seq 1 "$n"); do
    node_start "$k" &
    pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k"; done
  say "$n dockerds answering after $(since "$t0")"
  t1=$(now)
  image_tar
  registry_start
  d n1 import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' "$LIB/busybox.tar" "$IMG" >/dev/null
  d n1 push -q "$IMG" >/dev/null
  say "busybox pushed to the lab registry as $IMG after $(since "$t1")"
  t1=$(now)
  d n1 swarm init --advertise-addr "$(ip_of 1)" --listen-addr "$(ip_of 1):2377" >/dev/null
  tok=$(d n1 swarm join-token -q worker)
  pids=()
  for k in $(seq 2 "$n"); do
    d "n$k" swarm join --token "$tok" --advertise-addr "$(ip_of "$k")" \
      --listen-addr "$(ip_of "$k"):2377" "$(ip_of 1):2377" >/dev/null &
    pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k"; done
  wait_for 30 sh -c "[ \$(docker -H unix://$RUN/n1.sock node ls --format '{{.Status}}' | grep -c Ready) = $n ]"
  say "swarm of $n formed after $(since "$t1")"
  echo "$n" >"$RUN/nodes"
  say "lab up in $(since "$t0")"
  cmd_env
}

cmd_env() {
  echo "DOCKER_HOST=unix://$RUN/n1.sock"
  echo "ORC_LAB_REGISTRY=$REG"
  echo "ORC_LAB_IMAGE=$IMG"
  echo "ORC_LAB_NET=$LAB_NET"
  echo "ORC_LAB_NODES=$(cat "$RUN/nodes" 2>/dev/null || echo 0)"
  local k
  for k in $(seq 1 "$(cat "$RUN/nodes" 2>/dev/null || echo 0)"); do
    echo "ORC_LAB_N${k}=unix://$RUN/n$k.sock"
  done
}

cmd_kill() { # a lost node: SIGKILL its dockerd (its containers keep running as orphans until start K)
  local k=$1 p
  p=$(cat "$RUN/n$k.pid")
  tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- "--exec-root $RUN/n$k" && kill -KILL "$p"
}

cmd_start() { node_start "$1"; }

our_pids() { # processes whose command line names our run dir (dockerd, containerd, shims)
  # "[/]": grep's own command line must not match
  grep -lsa -- "$RUN[/]" /proc/[0-9]*/cmdline 2>/dev/null | awk -F/ -v me=$$ '$3 != me {print $3}' || true
}

cmd_down() {
  local f p k t0
  t0=$(now)
  # `swarm leave --force` removes the node's task containers at once (a dockerd stop would give each
  # busybox httpd, which ignores SIGTERM as PID 1, its full grace period). Workers first, then the manager.
  for f in $(ls "$RUN"/n*.sock 2>/dev/null | grep -v '/n1.sock$'); do
    timeout 30 docker -H "unix://$f" swarm leave --force >/dev/null 2>&1 &
  done
  wait
  [ -S "$RUN/n1.sock" ] && { timeout 30 docker -H "unix://$RUN/n1.sock" swarm leave --force >/dev/null 2>&1 || true; }
  for f in "$RUN"/n*.pid; do # then stop each dockerd (it stops its containerd)
    [ -f "$f" ] || continue
    p=$(cat "$f")
    tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q -- "--exec-root $RUN/" && kill -TERM "$p"
  done
  for _ in $(seq 1 150); do
    [ -z "$(our_pids)" ] && break
    sleep 0.2
  done
  # leftovers (a node whose dockerd was SIGKILLed): container processes through our cgroups, then shims
  for f in /sys/fs/cgroup/*/"$P"-n*/*/cgroup.procs /sys/fs/cgroup/"$P"-n*/*/cgroup.procs; do
    [ -f "$f" ] || continue
    for p in $(cat "$f"); do kill -KILL "$p" 2>/dev/null || true; done
  done
  for p in $(our_pids); do kill -KILL "$p" 2>/dev/null || true; done
  if [ -f "$RUN/registry.pid" ]; then
    p=$(cat "$RUN/registry.pid")
    tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q "docker-registry serve $LIB/" && kill -TERM "$p"
  fi
  sleep 0.5
  for k in $(ip netns list | awk -v p="$P" '$1 ~ "^"p"-(n[0-9]+|sw)$" {print $1}'); do ip netns del "$k"; done
  ip link del "$P-host" 2>/dev/null || true
  find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$P-n*" 2>/dev/null |
    while read -r f; do find "$f" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  if grep -q " $LIB\| $RUN" /proc/self/mountinfo; then
    say "mounts left under $LIB or $RUN; not deleting them"
    return 1
  fi
  rm -rf "$LIB" "$RUN"
  say "down in $(since "$t0"): processes left $(our_pids | wc -l), netns left $(ip netns list | grep -c "^$P-" || true)"
}

cmd_status() { d n1 node ls; }

case "${1:-}" in
up)
  shift
  cmd_up "$@"
  ;;
env) cmd_env ;;
status) cmd_status ;;
kill) cmd_kill "$2" ;;
start) cmd_start "$2" ;;
down) cmd_down ;;
_inner)
  shift
  _inner "$@"
  ;;
*)
  sed -n '2,9p' "$SELF"
  exit 2
  ;;
esac
