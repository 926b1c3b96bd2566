#!/usr/bin/env bash
# End-to-end scenario of the `weft` command with a real Docker engine (issue 6): this script
# starts its own dockerd (own socket, data root and exec root; no bridge, no iptables rules, so it
# leaves the host's firewall and any other Docker alone), imports a base image built with
# debootstrap (no registry is reachable; cached in /var/cache/weft-e2e), launches Weft on one
# namespace host and checks: two containers started with `weft run` ping each other by name;
# `weft attach`/`detach` by container name; a stopped container is detached by the daemon's Docker
# watcher and loses its DNS record and address.
#
# Needs root, docker.io (dockerd + docker CLI), debootstrap, iproute2, jq, curl, java 17.
# Builds nothing: mvn -B -pl control-plane,data-plane,cli -am package -DskipTests  first.
# Usage: e2e/cli-docker.sh     Variables: E2E (default wclid), WORK, KEEP_WORK, WEFT, WEFT_E2E_BASE_TAR.
E2E=${E2E:-wclid}
source "$(dirname "$0")/lib.sh"
WEFT=${WEFT:-$ROOT/cli/target/dist/bin/weft}
BASE_TAR=${WEFT_E2E_BASE_TAR:-/var/cache/weft-e2e/bookworm-ping.tar}
IMAGE=local/weft-e2e-base
if ip netns list | grep -q "^$E2E-"; then
  echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
  exit 2
fi
for tool in ip jq curl java dockerd docker debootstrap; do
  command -v $tool >/dev/null || { log "missing $tool: apt-get install -y docker.io debootstrap iproute2 jq curl"; exit 2; }
done
[ -x "$WEFT" ] || { log "no weft command at $WEFT: build the cli module first"; exit 2; }

DOCKER_DIR=$WORK/docker
export DOCKER_HOST=unix://$DOCKER_DIR/docker.sock
FORWARD_POLICY=$(iptables -S FORWARD 2>/dev/null | awk '$1 == "-P" {print $3}')
IP_FORWARD=$(cat /proc/sys/net/ipv4/ip_forward)

docker_cleanup() {
  local rc=$?
  set +e
  if [ -S "$DOCKER_DIR/docker.sock" ]; then
    docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1
  fi
  if [ -n "${PIDS[dockerd]:-}" ]; then
    kill "${PIDS[dockerd]}" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "${PIDS[dockerd]}" 2>/dev/null || break; sleep 0.5; done
  fi
  # dockerd may change these even with iptables off: put back what the host had.
  [ -n "$FORWARD_POLICY" ] && iptables -P FORWARD "$FORWARD_POLICY" 2>/dev/null
  echo "$IP_FORWARD" >/proc/sys/net/ipv4/ip_forward
  grep " $DOCKER_DIR" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  (exit $rc)
  cleanup
}
trap docker_cleanup EXIT
trap 'exit 130' INT TERM

w() { ip netns exec "$E2E-h1" env WEFT_STATE_DIR="$WORK/h1" "$WEFT" "$@"; }

# ---- base image: debootstrap once, cached -------------------------------------------------------
if [ ! -s "$BASE_TAR" ]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
  mirror=${mirror:-http://deb.debian.org/debian}
  log "building the base image with debootstrap from $mirror (once; cached in $BASE_TAR)"
  mkdir -p "$(dirname "$BASE_TAR")" "$WORK/rootfs"
  debootstrap --variant=minbase --include=iputils-ping,iproute2 bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; fail "debootstrap"; exit 1; }
  tar -C "$WORK/rootfs" -c . >"$BASE_TAR.$$" && mv "$BASE_TAR.$$" "$BASE_TAR"
  rm -rf "$WORK/rootfs"
fi

# ---- our own dockerd -----------------------------------------------------------------------------
mkdir -p "$DOCKER_DIR"
cat >"$DOCKER_DIR/daemon.json" <<JSON
{"hosts": ["$DOCKER_HOST"], "data-root": "$DOCKER_DIR/root", "exec-root": "$DOCKER_DIR/exec",
 "pidfile": "$DOCKER_DIR/docker.pid", "bridge": "none", "iptables": false, "ip-forward": false,
 "ip-masq": false, "storage-driver": "vfs"}
JSON
dockerd --config-file "$DOCKER_DIR/daemon.json" >"$WORK/dockerd.log" 2>&1 &
PIDS[dockerd]=$!
wait_for 60 "dockerd" docker info || { tail -n 20 "$WORK/dockerd.log" >&2; exit 1; }
docker import - "$IMAGE" <"$BASE_TAR" >/dev/null || { fail "docker import"; exit 1; }
log "dockerd up (pid ${PIDS[dockerd]}), image $IMAGE imported"

# ---- Weft on one host ----------------------------------------------------------------------------
build_underlay 1
export WEFT_JAVA_OPTS="-Xmx256m"
w launch --name h1 >/dev/null || { tail -n 30 "$WORK/h1/data-plane.log" >&2; exit 1; }
for f in "$WORK/h1/data-plane.pid" "$WORK/h1/control-plane/control-plane.pid"; do PIDS[$(basename "$f" .pid)]=$(cat "$f"); done
wait_for 30 "Docker watcher" grep -q "watching Docker events" "$WORK/h1/data-plane.log" || exit 1

log "weft run: two containers ping each other by name"
ID1=$(w run -- --network none --name web1 "$IMAGE" sleep 600) || { fail "weft run web1"; exit 1; }
ID2=$(w run -- --network none --name web2 "$IMAGE" sleep 600) || { fail "weft run web2"; exit 1; }
[ "$(docker inspect -f '{{.Id}}' web1)" = "$ID1" ] || { fail "weft run printed '$ID1', not web1's id"; exit 1; }
IP2=$(w dns-lookup web2) || { fail "web2 has no DNS record"; exit 1; }
w ps | grep -Eq "^${ID2:0:12} +[0-9a-f:]{17} +$IP2/12\$" || { fail "ps lacks web2: $(w ps)"; exit 1; }
[ "$(w ps web2 | wc -l)" = 1 ] && w ps web2 | grep -q "^${ID2:0:12} " || { fail "ps web2 (by name): $(w ps web2)"; exit 1; }
wait_for 20 "web1 -> web2 by name" docker exec web1 ping -c1 -W1 web2 || exit 1
docker exec web2 ping -c1 -W2 web1.weave.local >/dev/null || { fail "web2 -> web1.weave.local"; exit 1; }
pass "web1 and web2 ping each other by name"

log "attach / detach by container name"
docker run -d --network none --name web3 "$IMAGE" sleep 600 >/dev/null
IP3=$(w attach web3) || { fail "weft attach web3"; exit 1; }
docker exec web3 ip -4 -o addr show ethwe | grep -q " $IP3/" || { fail "web3 has no ethwe with $IP3"; exit 1; }
[ "$(w dns-lookup web3)" = "$IP3" ] || { fail "attach registered no name for web3"; exit 1; }
[ "$(w detach web3)" = "$IP3" ] || { fail "weft detach web3"; exit 1; }
docker exec web3 ip link show ethwe >/dev/null 2>&1 && { fail "web3 still has ethwe"; exit 1; }
rc=0; w attach nosuchcontainer 2>"$WORK/err" || rc=$?
[ $rc != 0 ] && grep -q "no Docker container 'nosuchcontainer'" "$WORK/err" || { fail "attach of a missing container: $(cat "$WORK/err")"; exit 1; }
pass "attach/detach by name"

log "a stopped container is detached and loses its records"
w dns-add 100.96.0.250 web2 -h web2-alias >/dev/null || { fail "dns-add for container web2"; exit 1; }
[ "$(w dns-lookup web2-alias)" = 100.96.0.250 ] || { fail "dns-lookup web2-alias"; exit 1; }
docker stop -t 1 web2 >/dev/null
wait_for 20 "web2's record removed" sh -c "! ip netns exec $E2E-h1 env WEFT_STATE_DIR=$WORK/h1 $WEFT dns-lookup web2" || exit 1
wait_for 10 "web2's dns-add record removed" sh -c "! ip netns exec $E2E-h1 env WEFT_STATE_DIR=$WORK/h1 $WEFT dns-lookup web2-alias" || exit 1
w ps | grep -q "^${ID2:0:12}" && { fail "ps still lists web2"; exit 1; }
w ps | grep -q "^${ID1:0:12}" || { fail "ps lost web1"; exit 1; }
pass "stopped container detached"
log "Docker scenario passed"
