# shellcheck shell=bash
# Throwaway Docker engines for tests (sourced by e2e/compose.sh after e2e/lib.sh).
#
# Each dockerd runs inside its own network namespace, the test's "host": its bridge (bip
# 100.70.0.1/24, pools in 100.71.0.0/16), its iptables rules, ip_forward and every
# network_mode: host container live there and vanish with it, and nothing clashes with Weft
# daemons or Docker engines of other runs on this machine. The host's own firewall state
# (iptables, ip6tables, nftables, forwarding and bridge-netfilter sysctls) is saved before the
# first dockerd starts and restored after the last one stopped all the same: dockerd loads
# modules and may touch host-wide settings.
#
# No registry is reachable: images are built on a base image made with debootstrap from the
# Debian mirror apt uses (openjdk-17-jre-headless, iproute2, iptables), cached as a tarball in
# $WEFT_TEST_CACHE (default /var/cache/weft-test) so later runs skip the ~2-minute bootstrap.
# Each engine's data root lives there too, so the imported base image and the build cache
# survive: a run removes its containers, volumes and networks, and the images it outdated.

# Engine N (1, 2, ...) runs in namespace $E2E-dockerhostN, keeps its images, containers and
# volumes in $WEFT_TEST_CACHE/docker-$E2E-N and its socket and pid file in /run/$E2E-dockerN.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
# The Debian package's client (a newer docker binary elsewhere in PATH may not speak to it).
DOCKER=${DOCKER:-/usr/bin/docker}
WEFT_TEST_CACHE=${WEFT_TEST_CACHE:-/var/cache/weft-test}
BASE_IMAGE_TAG=local/weft-base
declare -A DOCKERD_PIDS=()
FIREWALL=$WORK/firewall

dockerhost() { echo "$E2E-dockerhost$1"; }
docker_root() { echo "$WEFT_TEST_CACHE/docker-$E2E-$1"; }
docker_exec() { echo "/run/$E2E-docker$1"; }
# on_engine N COMMAND...: COMMAND (docker, docker-compose) talking to engine N.
on_engine() { local n=$1; shift; DOCKER_HOST="unix://$(docker_exec "$n")/docker.sock" "$@"; }
# in_dockerhost N COMMAND...: COMMAND in engine N's network namespace (its "host").
in_dockerhost() { local n=$1; shift; ip netns exec "$(dockerhost "$n")" "$@"; }

# ---- host firewall state -------------------------------------------------------------------------
# Sysctls dockerd may change; those missing on this kernel are skipped.
FIREWALL_SYSCTLS="net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/bridge/bridge-nf-call-iptables
  net/bridge/bridge-nf-call-ip6tables net/bridge/bridge-nf-call-arptables"

save_firewall() {
  mkdir -p "$FIREWALL"
  iptables-save >"$FIREWALL/iptables"
  ip6tables-save >"$FIREWALL/ip6tables"
  if command -v nft >/dev/null; then nft list ruleset >"$FIREWALL/nft"; fi
  local s
  for s in $FIREWALL_SYSCTLS; do
    [ -f "/proc/sys/$s" ] && cat "/proc/sys/$s" >"$FIREWALL/sysctl.${s//\//.}"
  done
  return 0
}

# Rules without packet counters and comments, for comparing.
rules_of() { "$@" 2>/dev/null | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//'; }

# Puts back whatever differs from the saved state; says what it had to restore.
restore_firewall() {
  [ -f "$FIREWALL/iptables" ] || return 0
  local s v changed=()
  if [ -f "$FIREWALL/nft" ] && ! diff -q <(nft list ruleset) "$FIREWALL/nft" >/dev/null; then
    # With iptables-nft (Debian's default) this also covers iptables and ip6tables.
    nft flush ruleset && nft -f "$FIREWALL/nft" && changed+=(nftables)
  fi
  if ! diff -q <(rules_of iptables-save) <(rules_of cat "$FIREWALL/iptables") >/dev/null; then
    iptables-restore <"$FIREWALL/iptables" && changed+=(iptables)
  fi
  if ! diff -q <(rules_of ip6tables-save) <(rules_of cat "$FIREWALL/ip6tables") >/dev/null; then
    ip6tables-restore <"$FIREWALL/ip6tables" && changed+=(ip6tables)
  fi
  for s in $FIREWALL_SYSCTLS; do
    v="$FIREWALL/sysctl.${s//\//.}"
    if [ -f "$v" ] && [ "$(cat "/proc/sys/$s")" != "$(cat "$v")" ]; then
      cat "$v" >"/proc/sys/$s" && changed+=("$s")
    fi
  done
  if [ ${#changed[@]} -gt 0 ]; then log "restored the host's ${changed[*]}"; fi
  return 0
}

# ---- the engines --------------------------------------------------------------------------------
# True once engine N answers (its log says why when it never does).
dockerd_answers() { kill -0 "${DOCKERD_PIDS[$1]}" 2>/dev/null && on_engine "$1" "$DOCKER" version >/dev/null 2>&1; }

# start_dockerd N: engine N in a new namespace; the first one saves the host's firewall state.
start_dockerd() {
  local n=$1 ns root run
  ns=$(dockerhost "$n"); root=$(docker_root "$n"); run=$(docker_exec "$n")
  for tool in dockerd docker-compose debootstrap iptables-save; do
    command -v $tool >/dev/null || { log "missing $tool: apt-get install -y docker.io docker-compose debootstrap iptables"; return 2; }
  done
  [ -x "$DOCKER" ] || { log "no docker client at $DOCKER: apt-get install -y docker.io"; return 2; }
  # dockerd uses a system containerd when its socket exists, and that one's containers would run
  # outside the test's namespace (on the real host's network).
  if [ -S /run/containerd/containerd.sock ]; then
    log "a system containerd is running (/run/containerd/containerd.sock): stop it (the test starts its own engines)"
    return 2
  fi
  if [ -e "$run" ] || ip netns list | grep -q "^$ns\b"; then
    log "$run or namespace $ns exists (another run, or a crashed one): set E2E=<other prefix> or remove them"
    return 2
  fi
  [ ${#DOCKERD_PIDS[@]} -gt 0 ] || save_firewall
  new_ns "$ns"
  mkdir -p "$root" "$run"
  cat >"$WORK/daemon$n.json" <<JSON
{"bip": "100.70.0.1/24", "default-address-pools": [{"base": "100.71.0.0/16", "size": 24}],
 "data-root": "$root", "exec-root": "$run/exec", "pidfile": "$run/docker.pid",
 "hosts": ["unix://$run/docker.sock"], "log-level": "warn"}
JSON
  # nsenter, not `ip netns exec`: that remounts /sys, which hides the cgroup mounts dockerd needs.
  nsenter --net="/var/run/netns/$ns" dockerd --config-file "$WORK/daemon$n.json" >"$WORK/dockerd$n.log" 2>&1 &
  DOCKERD_PIDS[$n]=$!
  PIDS[dockerd$n]=$!
  wait_for 60 "dockerd $n answering" dockerd_answers "$n" || { tail -n 20 "$WORK/dockerd$n.log" >&2; return 1; }
  log "dockerd $n up (pid ${DOCKERD_PIDS[$n]}, namespace $ns, data $root)"
}

# Stops every engine (by PID) after removing its containers and outdated images, then restores
# the host's firewall.
stop_dockerds() {
  local n pid ids i
  for n in "${!DOCKERD_PIDS[@]}"; do
    pid=${DOCKERD_PIDS[$n]}
    kill -0 "$pid" 2>/dev/null || continue
    ids=$(on_engine "$n" "$DOCKER" ps -aq 2>/dev/null)
    [ -z "$ids" ] || on_engine "$n" "$DOCKER" rm -f -v $ids >/dev/null 2>&1
    on_engine "$n" "$DOCKER" system prune -f --volumes >/dev/null 2>&1
    kill "$pid"
  done
  for n in "${!DOCKERD_PIDS[@]}"; do
    pid=${DOCKERD_PIDS[$n]}
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "PIDS[dockerd$n]"
    # Mounts it left behind (its network namespace handle, overlays of a killed engine).
    awk -v a="$(docker_root "$n")" -v b="$(docker_exec "$n")" 'index($2, a) == 1 || index($2, b) == 1 {print $2}' /proc/mounts |
      sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$(docker_exec "$n")"
  done
  DOCKERD_PIDS=()
  restore_firewall
}

# The Debian mirror and release apt uses on this machine.
apt_mirror() {
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
  } | awk '$2 !~ /security/ {print $2; exit}' || true
}

# import_base_image N: the cached base image into engine N (unless it holds it already),
# bootstrapped first when not cached.
import_base_image() {
  local n=$1 codename tar
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  tar=$WEFT_TEST_CACHE/weft-base-$codename-jre17-iproute2-iptables.tar
  if [ ! -s "$tar" ]; then
    local mirror rootfs
    mirror=$(apt_mirror)
    [ -n "$mirror" ] || { log "cannot find the Debian mirror in /etc/apt/sources.list*"; return 1; }
    mkdir -p "$WEFT_TEST_CACHE"
    rootfs=$(mktemp -d "$WEFT_TEST_CACHE/rootfs.XXXXXX")
    log "bootstrapping the base image from $mirror ($codename; cached in $tar)"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,iproute2,iptables "$codename" "$rootfs" "$mirror" \
      >"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log" >&2; rm -rf "$rootfs"; return 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$rootfs"
  fi
  if [ "$(on_engine "$n" "$DOCKER" image inspect -f '{{.Config.Labels.weft_base}}' "$BASE_IMAGE_TAG" 2>/dev/null)" != "$(basename "$tar")" ]; then
    on_engine "$n" "$DOCKER" import --change "LABEL weft_base=$(basename "$tar")" - "$BASE_IMAGE_TAG" <"$tar" >/dev/null
  fi
}
