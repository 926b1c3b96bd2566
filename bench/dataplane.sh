#!/usr/bin/env bash
# bench/dataplane.sh -- Weft data plane (plaintext) against kernel VXLAN, same hosts, same run.
#
# Topology (namespaces, built with e2e/lib.sh; prefix $E2E, default "wbench"):
#
#   [$E2E-cp] control plane 198.18.0.1 ─┐
#   [$E2E-h1] 198.18.0.11 eth0 ─────────┼─ bridge br0 in [$E2E-ul]  (the underlay, veths, mtu 1500)
#   [$E2E-h2] 198.18.0.12 eth0 ─────────┘
#
#   weft:  [$E2E-c1] ethwe ─ weft bridge ─ TAP ─ data plane h1 ═UDP 6783═ data plane h2 ─ TAP ─ bridge ─ ethwe [$E2E-c2]
#          (containers attached through the local API; network "bench" 100.64.1.0/24, plaintext)
#   vxlan: [$E2E-v1] eth0 ─ bridge vxbr ─ vxlan id 4242 (udp 4789) ═══════ vxlan ─ vxbr ─ eth0 [$E2E-v2]
#          (the same kind of "container", 100.64.9.0/24, kernel VXLAN between the same two hosts)
#
# Per path: ping -c $PINGS -i 0.05 (RTT), iperf3 TCP 1 stream and -P 4 for $DUR s, c1 -> c2.
# CPU of both data planes (per cent of one core) is recorded for every Weft test.
# Addresses: underlay 198.18.0.0/15, overlay 100.64.0.0/10 only.
# Every wait is bounded; cleanup (trap) kills only processes started here (by PID) and deletes
# only our namespaces.
#
# Usage (root, after `mvn -B -pl control-plane,data-plane -am install -DskipTests`):
#   bench/dataplane.sh
# Before measuring, WARMUP seconds of TCP over Weft let the data planes' JIT compile the hot path.
# Knobs: DUR (10), PINGS (20), ROUNDS (1: repeat the vxlan+weft pair), PATHS ("vxlan weft"), WARMUP (5),
#        DP_JAVA_OPTS (extra JVM options for the data planes, e.g. a JFR recording),
#        CP_JAR / DP_APP (jars, as in e2e/lib.sh), OUTROOT (/tmp/weft-bench), E2E (wbench).
set -uo pipefail
export LC_ALL=C
E2E=${E2E:-wbench}
DUR=${DUR:-10}
PINGS=${PINGS:-20}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-1}
PATHS=${PATHS:-"vxlan weft"}
DP_JAVA_OPTS=${DP_JAVA_OPTS:-}
OUTROOT=${OUTROOT:-/tmp/weft-bench}
RUN_ID=$(date +%Y%m%d-%H%M%S)
OUT=$OUTROOT/$RUN_ID
mkdir -p "$OUT"
WORK=$OUT/work
mkdir -p "$WORK"
KEEP_WORK=1
HEARTBEAT=1s

# shellcheck source=../e2e/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/../e2e/lib.sh"
set +e   # lib.sh turns on errexit; this script checks every step itself

[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
for t in ip iperf3 ping jq curl java timeout awk; do
  command -v $t >/dev/null || { echo "missing $t (apt-get install -y iperf3 jq curl iputils-ping)" >&2; exit 2; }
done
[ -f "$CP_JAR" ] || { echo "no control plane jar at $CP_JAR: build first" >&2; exit 2; }
[ -f "$DP_APP/quarkus-run.jar" ] || { echo "no data plane at $DP_APP: build first" >&2; exit 2; }
if ip netns list | awk '{print $1}' | grep -q "^$E2E-"; then
  echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
  exit 2
fi
if [ "${FORCE:-0}" != 1 ] && ip netns list | grep -qE 'we2e|ci'; then
  echo "an e2e/CI run is in progress (namespaces we2e*/ci*): figures would be noise; FORCE=1 to run anyway" >&2
  exit 2
fi
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { [ -r "/proc/$1/stat" ] && sed 's/.*) //' "/proc/$1/stat" | awk '{print $12+$13}' || echo 0; }
cpu_snap() { awk '/^cpu /{print $2,$3,$4,$5,$6,$7,$8,$9; exit}' /proc/stat; }
box_busy() {  # <snap-before> <snap-after> -> busy % of all cores
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");t=0
    for(i=1;i<=8;i++){d[i]=y[i]-x[i];t+=d[i]} if(t<=0){print 0;exit}
    printf "%.0f\n",100*(t-d[4]-d[5])/t}'
}
now() { date +%s.%N; }
thread_ticks() {  # <pid> -> "tid comm ticks" per thread
  local t
  for t in /proc/"$1"/task/*; do
    [ -r "$t/stat" ] && echo "$(basename "$t") $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}') $(tr ' ' '_' <"$t/comm")"
  done 2>/dev/null
}
thread_top() {  # <before> <after> <wall_s> -> busiest threads as "comm NN%"
  awk -v w="$3" -v hz="$CLK_TCK" 'NR==FNR{a[$1]=$2; next} {d=$2-($1 in a ? a[$1] : 0); if (d>0) printf "%s %.0f%%\n", $3, 100*d/hz/w}' \
    <(echo "$1") <(echo "$2") | sort -k2 -t' ' -rn | head -3 | paste -sd, -
}
ul_snap() {  # h1 eth0 tx packets and bytes, h2 UDP RcvbufErrors
  echo "$(ip -n "$E2E-h1" -s -j link show eth0 | jq -r '.[0].stats64.tx | "\(.packets) \(.bytes)"')" \
       "$(ip netns exec "$E2E-h2" awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp)"
}
ul_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");p=y[1]-x[1];
    printf "underlay %d pkts avg %d B; h2 udp rcvbuf errors %d", p, (p>0?(y[2]-x[2])/p:0), y[3]-x[3]}'
}

# ------------------------------------------------------------------ set-up --
log "bench run $RUN_ID: $(uname -r), $(nproc) cpus, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo); out $OUT"
log "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
build_underlay 2 || exit 1
start_control_plane || exit 1
create_network bench 100.64.1.0/24
for i in 1 2; do
  if [ -n "$DP_JAVA_OPTS" ]; then
    start_data_plane "$i" JAVA_TOOL_OPTIONS="$DP_JAVA_OPTS" || exit 1
  else
    start_data_plane "$i" || exit 1
  fi
done
W1=$(attach 1 c1 bench); W2=$(attach 2 c2 bench)
[ -n "$W1" ] && [ -n "$W2" ] && [ "$W1" != null ] || { fail "attach failed ($W1 / $W2)"; exit 1; }
wait_for 30 "c1 -> c2 over weft" can_ping c1 "$W2" || exit 1
log "weft: c1 $W1 (h1) <-> c2 $W2 (h2), container mtu $(in_c c1 cat /sys/class/net/ethwe/mtu)"

for i in 1 2; do
  o=$((3 - i)); h=$E2E-h$i
  ip -n "$h" link add vxb type vxlan id 4242 local "$(host_ip $i)" remote "$(host_ip $o)" dstport 4789 dev eth0
  ip -n "$h" link add vxbr type bridge
  ip -n "$h" link set vxb master vxbr up
  ip -n "$h" link set vxbr up
  new_ns "$E2E-v$i"
  ip link add "$E2E-v$i-a" type veth peer name "$E2E-v$i-b"
  ip link set "$E2E-v$i-a" netns "$E2E-v$i"
  ip link set "$E2E-v$i-b" netns "$h"
  VXMTU=$(ip netns exec "$h" cat /sys/class/net/vxb/mtu)
  ip -n "$E2E-v$i" link set "$E2E-v$i-a" name eth0 mtu "$VXMTU"
  ip -n "$E2E-v$i" addr add "100.64.9.$i/24" dev eth0
  ip -n "$E2E-v$i" link set eth0 up
  ip -n "$h" link set "$E2E-v$i-b" mtu "$VXMTU" master vxbr up
done
V2=100.64.9.2
wait_for 20 "v1 -> v2 over vxlan" in_c v1 ping -c 1 -W 1 "$V2" || exit 1
log "vxlan: v1 100.64.9.1 (h1) <-> v2 $V2 (h2), container mtu $VXMTU"

# ------------------------------------------------------------------- tests --
PORT=5200
run_ping() {  # <client-ns> <dst> -> R_RTT "avg (min)"
  local out
  out=$(timeout $((PINGS / 5 + 10)) ip netns exec "$E2E-$1" ping -n -q -c "$PINGS" -i 0.05 -W 1 "$2" 2>&1)
  echo "$out" >>"$OUT/ping.log"
  R_RTT=$(echo "$out" | awk -F'/' '/^rtt/{split($4,m," = "); printf "%.3f (%.3f)", $5, m[2]}')
  [ -n "$R_RTT" ] || R_RTT=ERR
}
run_tcp() {  # <path> <client> <server> <dst> <streams> -> R_GBPS R_RETR R_CPU R_NOTE
  local path=$1 cli=$2 srv=$3 dst=$4 p=$5 json t0 t1 c0 c1 d0 d1 u0 u1
  json=$OUT/$path-P$p-r$ROUND.json
  R_GBPS=ERR; R_RETR=-; R_CPU=-; R_NOTE=""
  PORT=$((PORT + 1))
  ip netns exec "$E2E-$srv" timeout $((DUR + 40)) iperf3 -s -1 -p $PORT >>"$OUT/iperf3-server.log" 2>&1 &
  PIDS[iperf]=$!
  wait_for 10 "iperf3 server" ip netns exec "$E2E-$srv" sh -c "ss -Hltn 'sport = :$PORT' | grep -q ." || return
  local th1 th2
  th1=$(thread_ticks "${PIDS[h1]}"); th2=$(thread_ticks "${PIDS[h2]}")
  c0=$(cpu_snap); d0="$(proc_ticks "${PIDS[h1]}") $(proc_ticks "${PIDS[h2]}")"; u0=$(ul_snap); t0=$(now)
  timeout $((DUR + 30)) ip netns exec "$E2E-$cli" iperf3 -c "$dst" -p $PORT -t "$DUR" -P "$p" \
    --connect-timeout 5000 -J >"$json" 2>>"$OUT/iperf3-client.log"
  t1=$(now); c1=$(cpu_snap); d1="$(proc_ticks "${PIDS[h1]}") $(proc_ticks "${PIDS[h2]}")"; u1=$(ul_snap)
  local w0; w0=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  R_THREADS="h1 [$(thread_top "$th1" "$(thread_ticks "${PIDS[h1]}")" "$w0")] h2 [$(thread_top "$th2" "$(thread_ticks "${PIDS[h2]}")" "$w0")]"
  kill "${PIDS[iperf]}" 2>/dev/null; wait "${PIDS[iperf]}" 2>/dev/null; unset 'PIDS[iperf]'
  R_GBPS=$(jq -r 'if .error then "ERR" else (.end.sum_received.bits_per_second/1e9) end' "$json" 2>/dev/null)
  [[ "$R_GBPS" =~ ^[0-9.e+-]+$ ]] && R_GBPS=$(printf '%.2f' "$R_GBPS") || R_GBPS=ERR
  R_RETR=$(jq -r '.end.sum_sent.retransmits // "?"' "$json" 2>/dev/null)
  local w; w=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  R_CPU=$(awk -v a="$d0" -v b="$d1" -v w="$w" -v hz="$CLK_TCK" 'BEGIN{split(a,x," ");split(b,y," ");
    printf "%.0f%%+%.0f%%", 100*(y[1]-x[1])/hz/w, 100*(y[2]-x[2])/hz/w}')
  R_NOTE="box $(box_busy "$c0" "$c1")% busy; $(ul_delta "$u0" "$u1")"
  [ "$path" = weft ] && R_NOTE="$R_NOTE; busiest threads $R_THREADS"
}

if [ "$WARMUP" -gt 0 ]; then
  PORT=$((PORT + 1))
  ip netns exec "$E2E-c2" timeout $((WARMUP + 30)) iperf3 -s -1 -p $PORT >>"$OUT/iperf3-server.log" 2>&1 &
  PIDS[iperf]=$!
  if wait_for 10 "iperf3 server" ip netns exec "$E2E-c2" sh -c "ss -Hltn 'sport = :$PORT' | grep -q ."; then
    timeout $((WARMUP + 20)) ip netns exec "$E2E-c1" iperf3 -c "$W2" -p $PORT -t "$WARMUP" -P 2 --connect-timeout 5000 \
      >"$OUT/warmup.txt" 2>&1
    log "warm-up over weft ($WARMUP s): $(awk '/receiver/{print $(NF-2), $(NF-1)}' "$OUT/warmup.txt" | tail -1)"
  fi
  kill "${PIDS[iperf]}" 2>/dev/null; wait "${PIDS[iperf]}" 2>/dev/null; unset 'PIDS[iperf]'
fi

declare -A RES=()
for ROUND in $(seq 1 "$ROUNDS"); do
  for path in $PATHS; do
    case $path in
      weft) cli=c1; srv=c2; dst=$W2;;
      vxlan) cli=v1; srv=v2; dst=$V2;;
      *) log "unknown path $path"; continue;;
    esac
    run_ping "$cli" "$dst"; RES[$path,rtt,$ROUND]=$R_RTT
    log "round $ROUND $path ping: avg (min) $R_RTT ms"
    for p in 1 4; do
      run_tcp "$path" "$cli" "$srv" "$dst" "$p"
      RES[$path,$p,$ROUND]=$R_GBPS; RES[$path,retr$p,$ROUND]=$R_RETR; RES[$path,cpu$p,$ROUND]=$R_CPU
      log "round $ROUND $path tcp x$p: $R_GBPS Gbit/s, retr $R_RETR, data planes h1+h2 $R_CPU of a core; $R_NOTE"
    done
  done
done
for i in 1 2; do
  ip netns exec "$E2E-h$i" curl -sf http://127.0.0.1:6784/q/metrics | grep -E '^weft_dataplane_(drops|tap_frames|datagrams|peer_frames|peer_bytes)' \
    | awk '$NF != 0' >"$OUT/metrics-h$i.txt"
done

# ------------------------------------------------------------------- table --
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a/b; else printf "-" }'; }
{
  echo
  echo "== Weft data plane (plaintext) vs kernel VXLAN, run $RUN_ID, TCP ${DUR}s c1->c2, ping -c $PINGS -i 0.05"
  echo "   $(uname -r), $(nproc) cpus, loadavg now $(cut -d' ' -f1-3 /proc/loadavg); container mtu: weft $(in_c c1 cat /sys/class/net/ethwe/mtu), vxlan $VXMTU"
  printf '%-6s %-6s %9s %9s %17s %9s %9s  %s\n' round path "Gb/s x1" "Gb/s x4" "RTT avg(min) ms" "retr x1" "retr x4" "data-plane CPU h1+h2 (% of a core) x1 / x4"
  for ROUND in $(seq 1 "$ROUNDS"); do
    for path in $PATHS; do
      printf '%-6s %-6s %9s %9s %17s %9s %9s  %s\n' "$ROUND" "$path" "${RES[$path,1,$ROUND]:--}" "${RES[$path,4,$ROUND]:--}" \
        "${RES[$path,rtt,$ROUND]:--}" "${RES[$path,retr1,$ROUND]:--}" "${RES[$path,retr4,$ROUND]:--}" \
        "$([ "$path" = weft ] && echo "${RES[$path,cpu1,$ROUND]} / ${RES[$path,cpu4,$ROUND]}")"
    done
    printf '%-6s %-6s %9s %9s\n' "$ROUND" "ratio" "$(ratio "${RES[weft,1,$ROUND]:-}" "${RES[vxlan,1,$ROUND]:-}")" \
      "$(ratio "${RES[weft,4,$ROUND]:-}" "${RES[vxlan,4,$ROUND]:-}")"
  done
  echo "(ratio = weft / vxlan in the same round; results, iperf3 JSON and data-plane logs in $OUT)"
} | tee "$OUT/table.txt"
