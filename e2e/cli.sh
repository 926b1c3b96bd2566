#!/usr/bin/env bash
# End-to-end scenarios of the `weft` command (issue 6): Weft driven only through the CLI, as an
# operator would, on three namespace hosts (see lib.sh for the layout). h1 runs `weft launch`
# alone (a local control plane + its daemon), h2 and h3 join it with the URL and join token it
# printed. Then: attach / run --netns, ps, status and its sections, connect/forget, expose/hide,
# dns-add/lookup/remove, stop/start with containers still reachable, reset leaving nothing behind,
# errors and --help. Docker: e2e/cli-docker.sh.
#
# Needs root, iproute2, java 17, curl, jq, iputils-ping; builds nothing: run
#   mvn -B -pl control-plane,data-plane,cli -am package -DskipTests   first.
# Usage: e2e/cli.sh            Variables: E2E (name prefix, default wcli), WORK, KEEP_WORK, WEFT.
E2E=${E2E:-wcli}
source "$(dirname "$0")/lib.sh"
WEFT=${WEFT:-$ROOT/cli/target/dist/bin/weft}
if ip netns list | grep -q "^$E2E-"; then
  echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
  exit 2
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
for tool in ip jq curl java ping; do
  command -v $tool >/dev/null || { log "missing $tool: apt-get install -y iproute2 jq curl iputils-ping"; exit 2; }
done
[ -x "$WEFT" ] || { log "no weft command at $WEFT: build the cli module first"; exit 2; }
export WEFT_JAVA_OPTS="-Xmx256m" WEFT_HEARTBEAT_INTERVAL=${HEARTBEAT:-1s}

# w I ARGS...: the weft command on host I (its namespace, its state directory).
w() {
  local i=$1
  shift
  ip netns exec "$E2E-h$i" env WEFT_STATE_DIR="$WORK/h$i" "$WEFT" "$@"
}

# Processes weft launch/start started on host I: registered for the EXIT trap (by PID).
track() {
  local i=$1 f
  for f in "$WORK/h$i/data-plane.pid" "$WORK/h$i/control-plane/control-plane.pid"; do
    [ -f "$f" ] && PIDS["$(basename "$f" .pid)-h$i"]=$(cat "$f")
  done
  return 0
}

expect_fail() { # DESCRIPTION WANT_IN_STDERR COMMAND...: must exit non-zero with one stderr line containing WANT
  local what=$1 want=$2 rc=0
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ $rc -ne 0 ] || { fail "$what: exit 0"; return 1; }
  [ "$(wc -l <"$WORK/err")" = 1 ] || { fail "$what: stderr is not one line: $(cat "$WORK/err")"; return 1; }
  grep -q -- "$want" "$WORK/err" || { fail "$what: stderr lacks '$want': $(cat "$WORK/err")"; return 1; }
}

ns_if_exists() { ip -n "$E2E-$1" link show ethwe >/dev/null 2>&1; }

build_underlay 3
check() { "$@" || exit 1; }

log "launch: an allocation range overlapping a route of the host is refused"
ip -n "$E2E-h1" route add 100.96.0.0/16 dev eth0
check expect_fail "launch over a route" "--ipalloc-range" w 1 launch --name h1
grep -q "100.96.0.0/16" "$WORK/err" || { fail "refusal does not name the route: $(cat "$WORK/err")"; exit 1; }
ip -n "$E2E-h1" route del 100.96.0.0/16 dev eth0
pass "overlapping range refused: $(cat "$WORK/err")"

log "launch: h1 alone (local control plane), h2 and h3 join with the printed URL and token"
PASSWORD=cli-e2e-network-password
w 1 launch --name h1 --password "$PASSWORD" --json >"$WORK/launch1.json" || { cat "$WORK/h1/"*.log "$WORK/h1/control-plane/"*.log >&2 2>/dev/null; exit 1; }
track 1
URL=$(jq -r .controlPlaneUrl "$WORK/launch1.json")
TOKEN=$(jq -r .joinToken "$WORK/launch1.json")
[ "$URL" = "http://$(host_ip 1):6785" ] || { fail "launch printed URL '$URL'"; exit 1; }
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { fail "launch printed no join token"; exit 1; }
for i in 2 3; do
  w "$i" launch --name "h$i" --control-plane "$URL" --join-token "$TOKEN" --password "$PASSWORD" >"$WORK/launch$i.txt" || exit 1
  track "$i"
done
check expect_fail "second launch" "already running" w 2 launch --control-plane "$URL" --join-token "$TOKEN"
pass "launched h1 (control plane at $URL), h2, h3"

log "attach / run --netns; every pair pings"
new_ns "$E2E-c1"
IP1=$(w 1 attach --name web1 "netns:$E2E-c1") || { fail "attach c1"; exit 1; }
# Made here: one made by weft under 'ip netns exec' would live in that private mount namespace only.
new_ns "$E2E-c2"
OUT2=$(w 2 run --netns "$E2E-c2" -- sleep 600) || { fail "run --netns c2"; exit 1; }
IP2=$(echo "$OUT2" | head -n1)
PIDS[sleep-c2]=$(echo "$OUT2" | sed -n 's/^pid \([0-9]*\),.*/\1/p')
new_ns "$E2E-c3"
IP3=$(w 3 attach 100.96.0.77 "netns:$E2E-c3") || { fail "attach c3 with an address"; exit 1; }
[ "$IP3" = 100.96.0.77 ] || { fail "c3 got $IP3, not the address asked for"; exit 1; }
log "c1=$IP1 (h1) c2=$IP2 (h2) c3=$IP3 (h3)"
for p in "c1 $IP2" "c1 $IP3" "c2 $IP1" "c2 $IP3" "c3 $IP1" "c3 $IP2"; do
  set -- $p
  wait_for 30 "$1 -> $2" can_ping "$1" "$2" || exit 1
done
pass "attach/run: all pairs ping"

log "ps"
w 1 ps >"$WORK/ps1"
head -n1 "$WORK/ps1" | grep -q '^weave:expose' || { fail "ps first line is not weave:expose: $(cat "$WORK/ps1")"; exit 1; }
MAC1=$(ip -n "$E2E-c1" -j link show ethwe | jq -r '.[0].address')
grep -Eq "^netns:$E2E-c1 +$MAC1 +$IP1/12\$" "$WORK/ps1" || { fail "ps lacks 'netns:$E2E-c1 $MAC1 $IP1/12': $(cat "$WORK/ps1")"; exit 1; }
[ "$(w 1 ps --json | jq -r '.entries[0].ip')" = "$IP1" ] || { fail "ps --json"; exit 1; }
pass "ps: $(tail -n1 "$WORK/ps1")"

log "status and its sections"
w 1 status >"$WORK/status1"
for want in "Service: router" "Name: h1" "Encryption: " "Connections: 2 (2 established)" "Peers: 2" \
            "Service: ipam" "Range: 100.96.0.0/12 (default): [0-9]* of 1048574 used" "Service: dns" "Status: running"; do
  grep -q "$want" "$WORK/status1" || { fail "status lacks '$want':"; cat "$WORK/status1" >&2; exit 1; }
done
[ "$(w 1 status connections | grep -c ' established ')" = 2 ] || { fail "status connections"; w 1 status connections >&2; exit 1; }
w 1 status peers | grep -Eq '^h2 +[0-9]+ +198\.18\.0\.12' || { fail "status peers lacks h2"; w 1 status peers >&2; exit 1; }
# Used: the three containers and each host's DNS address.
w 1 status ipam | grep -Eq '^default +100\.96\.0\.0/12 +\(all\) +6 +1048574 ' || { fail "status ipam"; w 1 status ipam >&2; exit 1; }
w 1 status dns | grep -Eq "^web1\.weave\.local +$IP1 " || { fail "status dns lacks web1"; w 1 status dns >&2; exit 1; }
w 1 status networks | grep -q '^default ' || { fail "status networks"; exit 1; }
[ "$(w 2 status --json | jq -r .status.synced)" = true ] || { fail "status --json"; exit 1; }
w 1 report | jq -e --arg c "netns:$E2E-c1" '.status.hostName == "h1" and any(.ps.entries[]; .containerId == $c) and .version.dataPlane != ""' >/dev/null \
  || { fail "report"; exit 1; }
w 1 version | grep -Eq 'control plane: .+store h2' || { fail "version: $(w 1 version)"; exit 1; }
pass "status, sections, report, version"

log "connect / forget"
w 1 connect 198.18.0.13 198.18.0.12:6783 >/dev/null || { fail "connect"; exit 1; }
wait_for 10 "targets listed" sh -c "ip netns exec $E2E-h1 env WEFT_STATE_DIR=$WORK/h1 $WEFT status targets | grep -q '^198.18.0.12:6783'" || exit 1
[ "$(w 1 forget 198.18.0.13 198.18.0.12:6783)" = "forgot 2 targets" ] || { fail "forget"; exit 1; }
wait_for 10 "targets gone" sh -c "[ -z \"\$(ip netns exec $E2E-h1 env WEFT_STATE_DIR=$WORK/h1 $WEFT status targets)\" ]" || exit 1
pass "connect/forget"

log "expose / hide"
HOSTIP=$(w 1 expose -h gateway) || { fail "expose"; exit 1; }
HOSTIP=${HOSTIP%/*}
wait_for 20 "c2 -> h1's exposed $HOSTIP" can_ping c2 "$HOSTIP" || exit 1
ip netns exec "$E2E-h1" ping -c1 -W2 "$IP2" >/dev/null || { fail "h1 -> c2 over its exposed address"; exit 1; }
head -n1 <(w 1 ps) | grep -q "$HOSTIP/12" || { fail "ps first line lacks the exposed address"; exit 1; }
w 1 hide | grep -q "$HOSTIP" || { fail "hide"; exit 1; }
# (h1 keeps its DNS address on the bridge, so it still reaches c2: the exposed address itself is gone.)
if ip -n "$E2E-h1" -o addr show | grep -q " $HOSTIP/"; then fail "exposed address still on h1 after hide"; exit 1; fi
if can_ping c2 "$HOSTIP"; then fail "c2 still reaches h1's hidden address"; exit 1; fi
pass "expose $HOSTIP / hide"

log "dns-add / dns-lookup / dns-remove"
w 1 dns-add 100.96.0.200 100.96.0.201 -h extern >/dev/null || { fail "dns-add"; exit 1; }
[ "$(w 2 dns-lookup extern | sort | tr '\n' ' ')" = "100.96.0.200 100.96.0.201 " ] || { fail "dns-lookup extern on h2"; exit 1; }
[ "$(w 3 dns-lookup web1.weave.local)" = "$IP1" ] || { fail "dns-lookup web1 (attach --name) on h3"; exit 1; }
[ "$(w 1 dns-remove 100.96.0.201 -h extern)" = "removed 1 record" ] || { fail "dns-remove one address"; exit 1; }
[ "$(w 2 dns-lookup extern)" = "100.96.0.200" ] || { fail "dns-lookup after removing one"; exit 1; }
w 1 dns-remove -h extern >/dev/null || { fail "dns-remove"; exit 1; }
check expect_fail "dns-lookup of a removed name" "extern" w 2 dns-lookup extern
pass "dns-add/lookup/remove"

log "stop / start: containers keep their interfaces and are reachable again"
w 2 stop >/dev/null || { fail "stop"; exit 1; }
[ ! -f "$WORK/h2/data-plane.pid" ] || { fail "pid file left after stop"; exit 1; }
ns_if_exists c2 || { fail "c2 lost ethwe when the daemon stopped"; exit 1; }
check expect_fail "status of a stopped host" "weft launch" w 2 status
w 2 start >/dev/null || { fail "start"; tail -n 30 "$WORK/h2/data-plane.log" >&2; exit 1; }
track 2
wait_for 30 "c1 -> c2 after start" can_ping c1 "$IP2" || exit 1
wait_for 30 "c2 -> c3 after start" can_ping c2 "$IP3" || exit 1
[ "$(w 2 ps | grep -c "$IP2/12")" = 1 ] || { fail "ps after start"; exit 1; }
w 2 status | grep -q 'network password' || { fail "h2 restarted without its network password"; exit 1; }
if grep -rqF "$PASSWORD" "$WORK/h2"; then fail "the network password is stored in plain text under $WORK/h2"; exit 1; fi
pass "stop/start (encrypted with the network password, which is nowhere on disk)"

log "reset: h3 leaves and nothing of Weft stays there"
DP3=$(cat "$WORK/h3/data-plane.pid")
w 3 reset >"$WORK/reset3" || { fail "reset"; exit 1; }
grep -Eq "^released 2 addresses, removed [0-9]+ interfaces?\$" "$WORK/reset3" || { fail "reset output: $(cat "$WORK/reset3")"; exit 1; }
! kill -0 "$DP3" 2>/dev/null || { fail "h3's daemon still runs after reset"; exit 1; }
[ -z "$(ip -n "$E2E-h3" -o link show | awk -F': ' '{print $2}' | grep '^weft')" ] || { fail "weft interfaces left on h3"; exit 1; }
ns_if_exists c3 && { fail "c3 still has ethwe"; exit 1; }
[ ! -e "$WORK/h3/launch.env" ] && [ ! -e "$WORK/h3/state.pb" ] && [ ! -e "$WORK/h3/password.key" ] || { fail "launch settings, state or password key left on h3"; exit 1; }
w 1 status ipam | grep -Eq '^default +100\.96\.0\.0/12 +\(all\) +4 ' || { fail "h3's addresses not released"; w 1 status ipam >&2; exit 1; }
new_ns "$E2E-c4"
[ "$(w 1 attach 100.96.0.77 "netns:$E2E-c4")" = 100.96.0.77 ] || { fail "c3's address cannot be claimed again"; exit 1; }
pass "reset"

log "errors and help"
check expect_fail "unknown verb" "frobnicate" w 1 frobnicate
check expect_fail "bad section" "bogus" w 1 status bogus
check expect_fail "bad target" "netns:NAME" w 1 attach "bad target!"
check expect_fail "missing namespace" "attach" w 1 attach "netns:$E2E-nosuchns"
check expect_fail "no daemon" "weft launch" ip netns exec "$E2E-cp" "$WEFT" status
rc=0; w 1 status bogus 2>/dev/null || rc=$?; [ $rc = 2 ] || { fail "usage error exit code $rc, not 2"; exit 1; }
rc=0; ip netns exec "$E2E-cp" "$WEFT" ps 2>/dev/null || rc=$?; [ $rc = 3 ] || { fail "no-daemon exit code $rc, not 3"; exit 1; }
for verb in setup launch stop start reset connect forget attach detach run ps expose hide status report \
            dns-add dns-remove dns-lookup launch-dns stop-dns version; do
  "$WEFT" "$verb" --help | grep -q "^Usage: weft $verb" || { fail "weft $verb --help"; exit 1; }
done
pass "errors and help"

log "detach"
[ "$(w 1 detach "netns:$E2E-c1")" = "$IP1" ] || { fail "detach c1"; exit 1; }
ns_if_exists c1 && { fail "c1 still has ethwe after detach"; exit 1; }
pass "detach"
log "all CLI scenarios passed"
