# Weft end-to-end harness: simulated hosts as network namespaces.
#
# Layout (all names start with $E2E, default "we2e"):
#   $E2E-ul            the underlay "switch": bridge br0, one port per host
#   $E2E-cp            the control plane, 198.18.0.1/24
#   $E2E-h1..h3        hosts, 198.18.0.11..13/24 on eth0, each running a data plane
#   $E2E-cN            "containers": empty namespaces attached through a host's local API
# Overlay addresses come from networks created here in 100.64.0.0/10. Nothing uses 10/8,
# 172.16/12 or 192.168/16. Every wait is bounded; cleanup (trap) kills only the processes this
# harness started (by PID) and deletes only its own namespaces.
set -euo pipefail

E2E=${E2E:-we2e}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CP_JAR=${CP_JAR:-$ROOT/control-plane/target/quarkus-app/quarkus-run.jar}
DP_APP=${DP_APP:-$ROOT/data-plane/target/quarkus-app}
WORK=${WORK:-$(mktemp -d /tmp/weft-e2e.XXXXXX)}
ADMIN=e2e-admin-token
JOIN=e2e-join-token
CP_IP=198.18.0.1
CP_URL=http://$CP_IP:6785
declare -A PIDS=()      # name -> pid of processes we started
NAMESPACES=()
FAILED=0

log() { printf '%s [e2e] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAIL: $*"; FAILED=1; return 1; }
pass() { log "PASS: $*"; }

host_ip() { echo "198.18.0.$((10 + $1))"; }

cleanup() {
  local rc=$?
  set +e
  if [ -n "${HOLD_ON_EXIT:-}" ]; then
    log "holding for ${HOLD_ON_EXIT}s before cleanup (HOLD_ON_EXIT)"
    sleep "$HOLD_ON_EXIT"
  fi
  for name in "${!PIDS[@]}"; do
    kill "${PIDS[$name]}" 2>/dev/null
  done
  local t=0
  while [ $t -lt 10 ]; do
    local alive=0
    for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.5; t=$((t + 1))
  done
  for name in "${!PIDS[@]}"; do
    kill -9 "${PIDS[$name]}" 2>/dev/null
  done
  # Our namespaces: those created here, and any "$E2E-*" made in a subshell (containers).
  for ns in "${NAMESPACES[@]}" $(ip netns list | awk '{print $1}' | grep "^$E2E-"); do
    ip netns del "$ns" 2>/dev/null
  done
  # Per-namespace files (/etc/netns/NAME: resolv.conf written by the data plane's DNS, or by a test).
  [ -n "$E2E" ] && rm -rf /etc/netns/"$E2E"-*
  if [ "${KEEP_WORK:-0}" != 1 ] && [ $FAILED = 0 ] && [ $rc = 0 ]; then
    rm -rf "$WORK"
  else
    log "logs kept in $WORK"
  fi
  exit $rc
}

# e2e_begin "TOOLS" "DEBIAN PACKAGES": the common start of every scenario script. Refuses to run
# over another run's namespaces, installs the cleanup traps, checks the tools (naming the packages
# to install) and that the control plane and data plane were built.
e2e_begin() {
  local tools=$1 packages=$2 tool
  if ip netns list | grep -q "^$E2E-"; then
    echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
    exit 2
  fi
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  for tool in $tools; do
    command -v "$tool" >/dev/null || { log "missing $tool: apt-get install -y $packages"; exit 2; }
  done
  [ -f "$CP_JAR" ] || { log "no control plane jar at $CP_JAR: build first"; exit 2; }
  [ -f "$DP_APP/quarkus-run.jar" ] || { log "no data plane at $DP_APP: build first"; exit 2; }
}

# run_scenarios WHAT "N...": runs scenario_N for each N (all of them, or up to the first failure
# with KEEP_GOING=0) and exits non-zero if any failed.
run_scenarios() {
  local what=$1 s
  for s in $2; do
    if ! "scenario_$s"; then
      FAILED=1
      log "scenario $s failed; see $WORK/*.log"
      [ "${KEEP_GOING:-1}" = 1 ] || break
    fi
  done
  if [ $FAILED = 0 ]; then log "all $what passed"; else log "some $what failed"; exit 1; fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.5 s until it succeeds.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      fail "timed out after ${secs}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

new_ns() {
  ip netns add "$1"
  NAMESPACES+=("$1")
  ip -n "$1" link set lo up
}

# The underlay switch, the control plane's namespace and N hosts.
build_underlay() {
  local n=$1
  new_ns "$E2E-ul"
  ip -n "$E2E-ul" link add br0 type bridge
  ip -n "$E2E-ul" link set br0 up
  attach_underlay "$E2E-cp" "$CP_IP" cp
  for i in $(seq 1 "$n"); do
    attach_underlay "$E2E-h$i" "$(host_ip "$i")" "h$i"
  done
}

attach_underlay() {
  local ns=$1 ip=$2 tag=$3
  new_ns "$ns"
  ip link add "$E2E-$tag-a" type veth peer name "$E2E-$tag-b"
  ip link set "$E2E-$tag-a" netns "$ns"
  ip -n "$ns" link set "$E2E-$tag-a" name eth0
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip link set "$E2E-$tag-b" netns "$E2E-ul"
  ip -n "$E2E-ul" link set "$E2E-$tag-b" master br0 up
}

start_control_plane() {
  mkdir -p "$WORK/cp"
  ip netns exec "$E2E-cp" env WEFT_DATA_DIR="$WORK/cp" WEFT_ADMIN_TOKEN=$ADMIN WEFT_JOIN_TOKEN=$JOIN \
    WEFT_LISTEN=0.0.0.0 java -Xmx256m -jar "$CP_JAR" >>"$WORK/cp.log" 2>&1 &
  PIDS[cp]=$!
  wait_for 60 "control plane ready" ip netns exec "$E2E-cp" curl -sf http://127.0.0.1:6785/q/health/ready
  log "control plane up (pid ${PIDS[cp]})"
}

stop_control_plane() {
  kill "${PIDS[cp]}" 2>/dev/null || true
  wait "${PIDS[cp]}" 2>/dev/null || true
  unset 'PIDS[cp]'
}

# start_data_plane I [extra env...]
start_data_plane() {
  local i=$1
  shift
  mkdir -p "$WORK/h$i"
  ip netns exec "$E2E-h$i" env WEFT_CONTROL_PLANE_URL=$CP_URL WEFT_JOIN_TOKEN=$JOIN WEFT_HOST_NAME="h$i" \
    WEFT_STATE_DIR="$WORK/h$i" WEFT_HEARTBEAT_INTERVAL=${HEARTBEAT:-1s} "$@" \
    java -Xmx256m -jar "$DP_APP/quarkus-run.jar" >>"$WORK/h$i.log" 2>&1 &
  PIDS[h$i]=$!
  wait_for 60 "data plane h$i ready" ip netns exec "$E2E-h$i" curl -sf http://127.0.0.1:6784/q/health/ready
  log "data plane h$i up (pid ${PIDS[h$i]})"
}

stop_data_plane() {
  local i=$1
  kill "${PIDS[h$i]}" 2>/dev/null || true
  wait "${PIDS[h$i]}" 2>/dev/null || true
  unset "PIDS[h$i]"
}

# weft I VERB ARGS...: the local API of host I (JSON on stdout).
weft() {
  local i=$1
  shift
  ip netns exec "$E2E-h$i" java -XX:TieredStopAtLevel=1 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$DP_APP/app/*:$DP_APP/lib/main/*:$DP_APP/lib/boot/*" \
    io.weft.dataplane.api.LocalClient "$@"
}

admin() { # admin METHOD PATH [JSON]
  ip netns exec "$E2E-cp" curl -sS -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "http://127.0.0.1:6785/api/v1$2"
}

create_network() { # NAME CIDR
  admin POST /networks "{\"name\":\"$1\",\"cidr\":\"$2\"}" >/dev/null
}

# attach HOST CONTAINER NETWORK -> prints the container's IP
attach() {
  local h=$1 c=$2 net=$3
  [ -e "/var/run/netns/$E2E-$c" ] || new_ns "$E2E-$c"
  weft "$h" attach "netns:$E2E-$c" --network "$net" | jq -r .endpoint.ip
}

in_c() { local c=$1; shift; ip netns exec "$E2E-$c" "$@"; }

can_ping() { # FROM_CONTAINER IP
  in_c "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
}

metric() { # HOST NAME_REGEX -> sum of matching samples
  ip netns exec "$E2E-h$1" curl -sf http://127.0.0.1:6784/q/metrics | grep -E "^$2" | awk '{s+=$NF} END {printf "%d\n", s}'
}

route_is() { # HOST PEER NEXT_HOP: the host's route to PEER goes through NEXT_HOP
  weft "$1" status | jq -e --arg p "$2" --arg h "$3" '.routes[] | select(.peer == $p and .nextHop == $h)'
}

is_synced() { weft "$1" status | jq -e '.synced == true'; }
