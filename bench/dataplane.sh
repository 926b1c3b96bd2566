#!/usr/bin/env bash
# bench/dataplane.sh -- Weft's data plane, plaintext and encrypted, side by side with kernel VXLAN,
# wireguard-go and nebula: the same two namespace hosts, the same underlay, the same run.
#
# Topology (namespaces, built with e2e/lib.sh; prefix $E2E, default "wbench"):
#
#   [$E2E-cp] control plane 198.18.0.1 ─┐
#   [$E2E-h1] 198.18.0.11 eth0 ─────────┼─ bridge br0 in [$E2E-ul]  (the underlay, veths, mtu 1500)
#   [$E2E-h2] 198.18.0.12 eth0 ─────────┘
#
#   weft, weft-enc: [$E2E-c1] ethwe ─ weft bridge ─ TAP ─ data plane h1 ═UDP 6783═ data plane h2 ─ TAP ─ bridge ─ ethwe [$E2E-c2]
#          (containers attached through the local API; network "bench" 100.64.1.0/24)
#          weft = data planes started with WEFT_ENCRYPTION=off; weft-enc = WEFT_ENCRYPTION=on and
#          WEFT_PASSWORD set. Whenever the next path wants the other mode, both data planes are
#          stopped and started again with that environment (same state dirs: the containers keep
#          their interfaces), warmed up, and their status is read: the table says per path and
#          round whether the connections really were encrypted.
#   vxlan: [$E2E-v1] eth0 ─ bridge vxbr ─ vxlan id 4242 (udp 4789) ═══════ vxlan ─ vxbr ─ eth0 [$E2E-v2]
#          (the same kind of "container", 100.64.9.0/24, kernel VXLAN, no encryption)
#   wggo, nebula: wireguard-go and nebula between h1 and h2 themselves (tun devices in the hosts,
#          100.64.2.0/24 and 100.64.5.0/24; see bench/peers.sh).
#
# Per path and round: ping -c $PINGS -i 0.05 (RTT); iperf3 TCP 1 stream and -P 4 for $DUR s; iperf3
# UDP -b 0 -l $UDP_LEN for $UDP_DUR s (packets per second received at the server, loss); CPU of the
# path's two daemons (utime+stime, % of one core each; VXLAN runs in the kernel: none).
# Then a table and, per round, the ratios the issues ask for:
#   weft / vxlan                          issue 3: >= 0.5 (one TCP stream)
#   weft-enc / max(wggo, nebula)          issue 4: >= 3, goal 6 (each column against the better of the two)
#   weft-enc / vxlan                      issue 4: >= 0.35
# Addresses: underlay 198.18.0.0/15, overlay 100.64.0.0/10 only.
# Every wait is bounded; cleanup (trap) kills only processes started here (by PID) and deletes
# only our namespaces.
#
# Usage (root, after `mvn -B -pl control-plane,data-plane -am package -DskipTests`):
#   bench/dataplane.sh
# Knobs: PATHS ("vxlan weft weft-enc wggo nebula": any subset, in the order measured each round),
#        DUR (10, s per TCP test), UDP_DUR (5, s of the UDP test; 0 skips it), UDP_LEN (64, bytes),
#        PINGS (20), ROUNDS (1), WARMUP (10, s of TCP over Weft after each data-plane start, for the JIT),
#        BENCH_PASSWORD (network password of weft-enc; random by default),
#        DP_JAVA_OPTS (extra JVM options for the data planes, e.g. a JFR recording),
#        CP_JAR / DP_APP (jars, as in e2e/lib.sh), OUTROOT (/tmp/weft-bench), E2E (wbench),
#        FORCE (1: run even while an e2e/CI run has namespaces up).
# A path whose binaries are missing is skipped with the package to install.
set -uo pipefail
export LC_ALL=C
E2E=${E2E:-wbench}
DUR=${DUR:-10}
UDP_DUR=${UDP_DUR:-5}
UDP_LEN=${UDP_LEN:-64}
PINGS=${PINGS:-20}
WARMUP=${WARMUP:-10}
ROUNDS=${ROUNDS:-1}
PATHS=${PATHS:-"vxlan weft weft-enc wggo nebula"}
DP_JAVA_OPTS=${DP_JAVA_OPTS:-}
BENCH_PASSWORD=${BENCH_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
OUTROOT=${OUTROOT:-/tmp/weft-bench}
RUN_ID=$(date +%Y%m%d-%H%M%S)
OUT=$OUTROOT/$RUN_ID
mkdir -p "$OUT"
WORK=$OUT/work
mkdir -p "$WORK"
KEEP_WORK=1
HEARTBEAT=1s
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=../e2e/lib.sh
source "$BENCH_DIR/../e2e/lib.sh"
# shellcheck source=peers.sh
source "$BENCH_DIR/peers.sh"
set +e   # lib.sh turns on errexit; this script checks every step itself

# ------------------------------------------------------------ prerequisites --
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
for t in ip iperf3 ping jq curl java timeout awk ss; do
  command -v $t >/dev/null || { echo "missing $t (apt-get install -y iperf3 jq curl iputils-ping iproute2)" >&2; exit 2; }
done
for n in DUR UDP_DUR UDP_LEN PINGS WARMUP ROUNDS; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || { echo "$n must be a whole number (got '${!n}')" >&2; exit 2; }
done
[ "$DUR" -gt 0 ] && [ "$ROUNDS" -gt 0 ] || { echo "DUR and ROUNDS must be at least 1" >&2; exit 2; }
RUN_PATHS=()
for path in $PATHS; do
  case $path in
    vxlan) ;;
    weft|weft-enc)
      if [ ! -f "$CP_JAR" ] || [ ! -f "$DP_APP/quarkus-run.jar" ]; then
        echo "skipping $path: no control plane jar at $CP_JAR or no data plane at $DP_APP" \
          "(build: mvn -B -pl control-plane,data-plane -am package -DskipTests, or set CP_JAR / DP_APP)" >&2
        continue
      fi;;
    wggo|nebula)
      IFS='|' read -r tools pkgs <<<"$(peer_tools "$path")"
      missing=""
      for t in $tools; do command -v "$t" >/dev/null || missing="$missing $t"; done
      if [ -n "$missing" ]; then
        echo "skipping $path: missing${missing} (apt-get install -y $pkgs)" >&2
        continue
      fi;;
    *) echo "unknown path '$path' in PATHS (known: vxlan weft weft-enc wggo nebula)" >&2; exit 2;;
  esac
  RUN_PATHS+=("$path")
done
[ ${#RUN_PATHS[@]} -gt 0 ] || { echo "no path left to measure (PATHS=\"$PATHS\")" >&2; exit 2; }
has_path() { [[ " ${RUN_PATHS[*]} " == *" $1 "* ]]; }
if ip netns list | awk '{print $1}' | grep -q "^$E2E-"; then
  echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
  exit 2
fi
if [ "${FORCE:-0}" != 1 ] && ip netns list | grep -qE 'we2e|ci'; then
  echo "an e2e/CI run is in progress (namespaces we2e*/ci*): figures would be noise; FORCE=1 to run anyway" >&2
  exit 2
fi
bench_cleanup() {
  local rc=$?
  wg_sockets_remove
  (exit $rc)
  cleanup
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------- sampling --
CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { [ -r "/proc/$1/stat" ] && sed 's/.*) //' "/proc/$1/stat" | awk '{print $12+$13}' || echo 0; }
pids_ticks() { local p; for p in $1; do printf '%s ' "$(proc_ticks "$p")"; done; }
pids_pct() {  # <ticks-before> <ticks-after> <wall_s> -> "a%+b%" (each % of one core), "-" without daemons
  awk -v a="$1" -v b="$2" -v w="$3" -v hz="$CLK_TCK" 'BEGIN{n=split(a,x," ");split(b,y," ");s="";
    for(i=1;i<=n;i++){s=s (i>1?"+":"") sprintf("%.0f%%",100*(y[i]-x[i])/hz/w)} print (n ? s : "-")}'
}
cpu_snap() { awk '/^cpu /{print $2,$3,$4,$5,$6,$7,$8,$9; exit}' /proc/stat; }
box_busy() {  # <snap-before> <snap-after> -> busy % of all cores
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");t=0
    for(i=1;i<=8;i++){d[i]=y[i]-x[i];t+=d[i]} if(t<=0){print 0;exit}
    printf "%.0f\n",100*(t-d[4]-d[5])/t}'
}
now() { date +%s.%N; }
thread_ticks() {  # <pid> -> "tid ticks comm" per thread
  local t
  for t in /proc/"$1"/task/*; do
    [ -r "$t/stat" ] && echo "$(basename "$t") $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}') $(tr ' ' '_' <"$t/comm")"
  done 2>/dev/null
}
thread_top() {  # <before> <after> <wall_s> -> busiest threads as "comm NN%"
  awk -v w="$3" -v hz="$CLK_TCK" 'NR==FNR{a[$1]=$2; next} {d=$2-($1 in a ? a[$1] : 0); if (d>0) printf "%s %.0f%%\n", $3, 100*d/hz/w}' \
    <(echo "$1") <(echo "$2") | sort -k2 -t' ' -rn | head -3 | paste -sd, -
}
udp_rcvbuf_errors() { ip netns exec "$1" awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp; }
ul_snap() {  # SERVER-NS -> h1 eth0 tx packets and bytes, h2 UDP RcvbufErrors, the iperf3 server's namespace's
  echo "$(ip -n "$E2E-h1" -s -j link show eth0 | jq -r '.[0].stats64.tx | "\(.packets) \(.bytes)"')" \
       "$(udp_rcvbuf_errors "$E2E-h2") $(udp_rcvbuf_errors "$1")"
}
ul_delta() {  # the UDP test's loss is on the way when the underlay carried it and the server's socket did not drop it
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," ");split(b,y," ");p=y[1]-x[1];
    printf "underlay %d pkts avg %d B; h2 udp rcvbuf errors %d; iperf3 server socket drops %d", p, (p>0?(y[2]-x[2])/p:0),
      y[3]-x[3], y[4]-x[4]}'
}

# ------------------------------------------------------------------ paths --
# Per path: client and server namespace, destination address, daemon PIDs (for CPU), a note.
declare -A P_CLI=() P_SRV=() P_DST=() P_DAEMONS=() P_NOTE=()

setup_vxlan() {
  local i o h
  for i in 1 2; do
    o=$((3 - i)); h=$E2E-h$i
    ip -n "$h" link add vxb type vxlan id 4242 local "$(host_ip $i)" remote "$(host_ip $o)" dstport 4789 dev eth0 \
      || { fail "vxlan: ip link add type vxlan failed (kernel module vxlan?)"; return 1; }
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
  P_CLI[vxlan]=$E2E-v1; P_SRV[vxlan]=$E2E-v2; P_DST[vxlan]=100.64.9.2; P_DAEMONS[vxlan]=""
  P_NOTE[vxlan]="kernel vxlan id 4242 udp/4789, bridged, container mtu $VXMTU, no encryption"
}

# Weft: the control plane and the containers once; the data planes in the mode the next path wants.
WEFT_MODE=""   # off | on: what the running data planes were started with ("" = not running)
WEFT_ENC=""    # what their status said after the last start
weft_env() {   # MODE -> the data planes' extra environment, one assignment per line
  if [ "$1" = on ]; then printf '%s\n' WEFT_ENCRYPTION=on "WEFT_PASSWORD=$BENCH_PASSWORD"; else echo WEFT_ENCRYPTION=off; fi
  [ -z "$DP_JAVA_OPTS" ] || echo "JAVA_TOOL_OPTIONS=$DP_JAVA_OPTS"
}
weft_stop() {  # stop both data planes by PID: TERM, at most 20 s, then KILL
  local i t
  for i in 1 2; do [ -n "${PIDS[h$i]:-}" ] && kill "${PIDS[h$i]}" 2>/dev/null; done
  for i in 1 2; do
    [ -n "${PIDS[h$i]:-}" ] || continue
    for t in $(seq 1 40); do kill -0 "${PIDS[h$i]}" 2>/dev/null || break; sleep 0.5; done
    kill -9 "${PIDS[h$i]}" 2>/dev/null
    wait "${PIDS[h$i]}" 2>/dev/null
    unset "PIDS[h$i]"
  done
  WEFT_MODE=""
}
enc_of() {  # HOST -> "MODE K N": status's encryption field, K of N connections encrypted ("? 0 0" if unreadable)
  local r
  r=$(weft "$1" status 2>>"$WORK/status.err" | jq -r '[(.encryption // "" | if . == "" then "-" else gsub(" "; "_") end),
    ([.connections[]? | select(.encrypted == true)] | length), ([.connections[]?] | length)] | map(tostring) | join(" ")' 2>/dev/null)
  read -r -a r <<<"$r"
  [ ${#r[@]} = 3 ] && echo "${r[*]}" || echo "? 0 0"
}
enc_verdict() {  # "<h1 enc_of>" "<h2 enc_of>" -> yes (both encrypt every connection) | no (neither does) | mixed | ?
  local h mode k n yes=0 no=0
  for h in "$1" "$2"; do
    read -r mode k n <<<"$h"
    case $mode in
      '?') echo "?"; return;;
      none|off|plaintext|disabled|-) [ "$k" = 0 ] && no=$((no + 1));;
      *) [ "$n" -gt 0 ] && [ "$k" = "$n" ] && yes=$((yes + 1));;
    esac
  done
  if [ $yes = 2 ]; then echo yes; elif [ $no = 2 ]; then echo no; else echo mixed; fi
}
weft_start() {  # MODE: start both data planes with WEFT_ENCRYPTION=MODE
  local mode=$1 i envs
  mapfile -t envs < <(weft_env "$mode")
  for i in 1 2; do start_data_plane "$i" "${envs[@]}" || return 1; done
  WEFT_MODE=$mode
  P_DAEMONS[weft]="${PIDS[h1]} ${PIDS[h2]}"; P_DAEMONS[weft-enc]=${P_DAEMONS[weft]}
}
weft_ready() {  # the containers reach each other, the JIT is warm, WEFT_ENC says what status reports
  local e1 e2
  wait_for 60 "c1 -> c2 over weft (WEFT_ENCRYPTION=$WEFT_MODE)" can_ping c1 "$W2" || return 1
  warmup
  e1=$(enc_of 1); e2=$(enc_of 2)
  WEFT_ENC=$(enc_verdict "$e1" "$e2")
  WEFT_MTU=$(in_c c1 cat /sys/class/net/ethwe/mtu)
  log "weft WEFT_ENCRYPTION=$WEFT_MODE: status encryption / encrypted connections of all:" \
      "h1 [$e1] h2 [$e2] -> encrypted: $WEFT_ENC; container mtu $WEFT_MTU"
}
weft_mode() {  # MODE: make the data planes run with WEFT_ENCRYPTION=MODE, restarting them if needed
  [ "$WEFT_MODE" = "$1" ] && return 0
  log "weft: restarting both data planes with WEFT_ENCRYPTION=$1"
  weft_stop
  weft_start "$1" && weft_ready || { WEFT_MODE=""; return 1; }
}
setup_weft() {  # FIRST-MODE
  start_control_plane || return 1
  create_network bench 100.64.1.0/24
  weft_start "$1" || return 1
  W1=$(attach 1 c1 bench); W2=$(attach 2 c2 bench)
  [ -n "$W1" ] && [ -n "$W2" ] && [ "$W1" != null ] || { fail "attach failed ($W1 / $W2)"; return 1; }
  log "weft: c1 $W1 (h1) <-> c2 $W2 (h2)"
  local p
  for p in weft weft-enc; do P_CLI[$p]=$E2E-c1; P_SRV[$p]=$E2E-c2; P_DST[$p]=$W2; done
  weft_ready
}

# ------------------------------------------------------------------- tests --
PORT=5200
srv_start() {  # NS MAX_S: a one-off iperf3 server in NS on a fresh port (PORT), at most MAX_S alive
  PORT=$((PORT + 1))
  ip netns exec "$1" timeout "$2" iperf3 -s -1 -p $PORT >>"$OUT/iperf3-server.log" 2>&1 &
  PIDS[iperf]=$!
  wait_for 10 "iperf3 server in $1" ip netns exec "$1" sh -c "ss -Hltn 'sport = :$PORT' | grep -q ."
}
srv_stop() { kill "${PIDS[iperf]}" 2>/dev/null; wait "${PIDS[iperf]}" 2>/dev/null; unset 'PIDS[iperf]'; }
warmup() {  # WARMUP s of TCP over Weft, so the data planes' JIT has compiled the hot path
  [ "$WARMUP" -gt 0 ] || return 0
  if srv_start "$E2E-c2" $((WARMUP + 30)); then
    timeout $((WARMUP + 20)) ip netns exec "$E2E-c1" iperf3 -c "$W2" -p $PORT -t "$WARMUP" -P 2 --connect-timeout 5000 \
      >"$OUT/warmup.txt" 2>&1
    log "warm-up over weft ($WARMUP s): $(awk '/receiver/{print $(NF-2), $(NF-1)}' "$OUT/warmup.txt" | tail -1)"
  fi
  srv_stop
}
run_ping() {  # PATH -> R_RTT "avg (min)"
  local out
  out=$(timeout $((PINGS / 5 + 10)) ip netns exec "${P_CLI[$1]}" ping -n -q -c "$PINGS" -i 0.05 -W 1 "${P_DST[$1]}" 2>&1)
  echo "$1: $out" >>"$OUT/ping.log"
  R_RTT=$(echo "$out" | awk -F'/' '/^rtt/{split($4,m," = "); printf "%.3f (%.3f)", $5, m[2]}')
  [ -n "$R_RTT" ] || R_RTT=ERR
}
# measure PATH NAME SECS IPERF3-ARGS...: one iperf3 run from the path's client to its server, with the
# daemons' CPU over the run. Sets R_JSON R_CPU R_NOTE (R_JSON is "" when the server did not start).
measure() {
  local path=$1 name=$2 secs=$3 pids=${P_DAEMONS[$1]} t0 t1 c0 c1 d0 d1 u0 u1 th0=() p
  shift 3
  R_JSON=$OUT/$path-$name-r$ROUND.json; R_CPU=-; R_NOTE=""
  srv_start "${P_SRV[$path]}" $((secs + 40)) || { R_JSON=""; srv_stop; return; }
  for p in $pids; do th0+=("$(thread_ticks "$p")"); done
  c0=$(cpu_snap); d0=$(pids_ticks "$pids"); u0=$(ul_snap "${P_SRV[$path]}"); t0=$(now)
  timeout $((secs + 30)) ip netns exec "${P_CLI[$path]}" iperf3 -c "${P_DST[$path]}" -p $PORT -t "$secs" \
    --connect-timeout 5000 -J "$@" >"$R_JSON" 2>>"$OUT/iperf3-client.log"
  t1=$(now); c1=$(cpu_snap); d1=$(pids_ticks "$pids"); u1=$(ul_snap "${P_SRV[$path]}")
  local w i=0 top=""
  w=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  for p in $pids; do top="$top h$((i + 1)) [$(thread_top "${th0[$i]}" "$(thread_ticks "$p")" "$w")]"; i=$((i + 1)); done
  srv_stop
  R_CPU=$(pids_pct "$d0" "$d1" "$w")
  R_NOTE="box $(box_busy "$c0" "$c1")% busy; $(ul_delta "$u0" "$u1")"
  [[ "$path" == weft* ]] && R_NOTE="$R_NOTE; busiest threads$top"
}
run_tcp() {  # PATH STREAMS -> R_GBPS R_RETR R_CPU R_NOTE
  measure "$1" "tcp-P$2" "$DUR" -P "$2"
  R_GBPS=ERR; R_RETR=-
  [ -n "$R_JSON" ] || return
  R_GBPS=$(jq -r 'if .error then "ERR" else (.end.sum_received.bits_per_second/1e9) end' "$R_JSON" 2>/dev/null)
  [[ "$R_GBPS" =~ ^[0-9.e+-]+$ ]] && R_GBPS=$(printf '%.2f' "$R_GBPS") || R_GBPS=ERR
  R_RETR=$(jq -r '.end.sum_sent.retransmits // "?"' "$R_JSON" 2>/dev/null)
}
run_udp() {  # PATH -> R_KPPS (received at the server, thousands/s) R_LOSS R_CPU R_NOTE
  R_KPPS=-; R_LOSS=-; R_CPU=-
  [ "$UDP_DUR" -gt 0 ] || return
  measure "$1" "udp-l$UDP_LEN" "$UDP_DUR" -u -b 0 -l "$UDP_LEN"
  R_KPPS=ERR
  [ -n "$R_JSON" ] || return
  read -r R_KPPS R_LOSS < <(jq -r 'if .error then "ERR -" else .end.sum_received |
      "\((.packets - .lost_packets) / .seconds / 1000 * 10 | floor / 10) \(.lost_percent | floor)%" end' "$R_JSON" 2>/dev/null)
  [[ "${R_KPPS:-}" =~ ^[0-9.]+$ ]] || { R_KPPS=ERR; R_LOSS=-; }
}

# ------------------------------------------------------------------ set-up --
log "bench run $RUN_ID: $(uname -r), $(nproc) cpus, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo); out $OUT"
log "paths: ${RUN_PATHS[*]}; loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A SKIPPED=()   # path -> why it was not measured
skip_path() {  # PATH REASON: drop PATH from this run
  local keep=() p
  SKIPPED[$1]=$2
  log "skipping $1: $2"
  for p in "${RUN_PATHS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  RUN_PATHS=("${keep[@]}")
}
reaches() { ip netns exec "${P_CLI[$1]}" ping -n -c 1 -W 1 "${P_DST[$1]}"; }

build_underlay 2 || exit 1
FIRST_WEFT=""
for path in "${RUN_PATHS[@]}"; do
  case $path in weft) FIRST_WEFT=off; break;; weft-enc) FIRST_WEFT=on; break;; esac
done
if [ -n "$FIRST_WEFT" ]; then
  setup_weft "$FIRST_WEFT" || exit 1
fi
if has_path vxlan; then
  setup_vxlan && wait_for 20 "v1 -> v2 over vxlan" reaches vxlan || exit 1
fi
for path in wggo nebula; do
  has_path $path || continue
  if "setup_$path" && wait_for 30 "$path: h1 -> h2 over ${P_DST[$path]}" reaches $path; then
    log "$path: ${P_NOTE[$path]}"
  else
    skip_path $path "set-up failed (logs in $WORK)"
  fi
done

# ------------------------------------------------------------------ rounds --
declare -A RES=()
for ROUND in $(seq 1 "$ROUNDS"); do
  for path in "${RUN_PATHS[@]}"; do
    case $path in
      weft) weft_mode off || { RES[$path,enc,$ROUND]="start failed"; continue; };;
      weft-enc) weft_mode on || { RES[$path,enc,$ROUND]="start failed"; continue; };;
    esac
    if [[ "$path" == weft* ]]; then
      RES[$path,enc,$ROUND]=$WEFT_ENC
      P_NOTE[$path]="Weft data planes started with $(weft_env "$WEFT_MODE" | sed 's/^WEFT_PASSWORD=.*/WEFT_PASSWORD=<set>/' | paste -sd' ');"
      P_NOTE[$path]+=" network 100.64.1.0/24 c1 -> c2, container mtu $WEFT_MTU"
    fi
    run_ping "$path"; RES[$path,rtt,$ROUND]=$R_RTT
    log "round $ROUND $path ping: avg (min) $R_RTT ms"
    for p in 1 4; do
      run_tcp "$path" "$p"
      RES[$path,$p,$ROUND]=$R_GBPS; RES[$path,retr$p,$ROUND]=$R_RETR; RES[$path,cpu$p,$ROUND]=$R_CPU
      log "round $ROUND $path tcp x$p: $R_GBPS Gbit/s, retr $R_RETR, daemons h1+h2 $R_CPU of a core; $R_NOTE"
    done
    run_udp "$path"
    RES[$path,kpps,$ROUND]=$R_KPPS; RES[$path,loss,$ROUND]=$R_LOSS; RES[$path,cpuu,$ROUND]=$R_CPU
    [ "$UDP_DUR" -gt 0 ] && log "round $ROUND $path udp ${UDP_LEN} B: $R_KPPS kpps received, loss $R_LOSS," \
      "daemons h1+h2 $R_CPU of a core; $R_NOTE"
  done
done
if [ -n "$FIRST_WEFT" ]; then
  for i in 1 2; do
    ip netns exec "$E2E-h$i" curl -sf http://127.0.0.1:6784/q/metrics | grep -E '^weft_dataplane_(drops|tap_frames|datagrams|peer_frames|peer_bytes)' \
      | awk '$NF != 0' >"$OUT/metrics-h$i.txt"
  done
fi

# ------------------------------------------------------------------- table --
is_num() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
# Three decimals: the bars sit at 0.35 and 0.5, and a ratio rounded up to them must not pass.
ratio() { if is_num "$1" && is_num "$2" && awk -v b="$2" 'BEGIN{exit !(b > 0)}'; then awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; else printf -- -; fi; }
val() { echo "${RES[$1,$2,$ROUND]:--}"; }   # PATH METRIC (in the current ROUND)
best_peer() {  # METRIC -> "value path" of the better of wggo and nebula in this round ("- -" if neither)
  local b=- bp=- p v
  for p in wggo nebula; do
    v=$(val $p "$1")
    is_num "$v" || continue
    if [ "$b" = - ] || awk -v a="$v" -v b="$b" 'BEGIN{exit !(a > b)}'; then b=$v; bp=$p; fi
  done
  echo "$b $bp"
}
verdict() {  # RATIO NEED [GOAL] -> "ok" | "ok, below the goal G" | "BELOW" | "?"
  is_num "$1" || { echo "?"; return; }
  if awk -v r="$1" -v n="$2" 'BEGIN{exit !(r >= n)}'; then
    [ -n "${3:-}" ] && awk -v r="$1" -v g="$3" 'BEGIN{exit !(r < g)}' && { echo "ok, below the goal $3"; return; }
    echo ok
  else echo BELOW; fi
}
# The ratios the issues ask for: "label|numerator path|denominator (a path, or peer = the better of
# wggo and nebula, per column)|need (x1)|goal (x1)|issue"
RATIOS=("weft / vxlan|weft|vxlan|0.5||issue 3"
        "weft-enc / best peer|weft-enc|peer|3|6|issue 4"
        "weft-enc / vxlan|weft-enc|vxlan|0.35||issue 4")
ratio_applies() {  # NUM DEN
  has_path "$1" || return 1
  if [ "$2" = peer ]; then has_path wggo || has_path nebula; else has_path "$2"; fi
}
declare -A RAT=()   # label,column,round -> ratio
ratio_rows() {  # the ratio lines of the current ROUND
  local r label num den need goal issue m d p r1 v who
  printf '%-6s %-24s %9s %9s %17s %11s  %s\n' "$ROUND" "ratio" "x1" "x4" "" "UDP" "needs (one TCP stream)"
  for r in "${RATIOS[@]}"; do
    IFS='|' read -r label num den need goal issue <<<"$r"
    ratio_applies "$num" "$den" || continue
    who=""
    for m in 1 4 kpps; do
      if [ "$den" = peer ]; then
        read -r d p <<<"$(best_peer $m)"
        who="$who${who:+, }$([ $m = kpps ] && echo udp || echo x$m) $p"
      else d=$(val "$den" $m); fi
      RAT[$label,$m,$ROUND]=$(ratio "$(val "$num" $m)" "$d")
    done
    r1=${RAT[$label,1,$ROUND]}
    v=$(verdict "$r1" "$need" "$goal")
    [ "$num" = weft-enc ] && [ "$(val weft-enc enc)" != yes ] && v="no verdict: weft-enc was not encrypted"
    printf '%-6s %-24s %9s %9s %17s %11s  %s: x1 >= %s%s -> %s%s\n' "$ROUND" "$label" "$r1" "${RAT[$label,4,$ROUND]}" "" \
      "${RAT[$label,kpps,$ROUND]}" "$issue" "$need" "${goal:+, goal $goal}" "$v" \
      "${who:+ (better peer: $who)}"
  done
}
ratio_summary() {  # over all rounds: median (min-max) of each ratio column
  local r label num den m vals
  for r in "${RATIOS[@]}"; do
    IFS='|' read -r label num den _ <<<"$r"
    ratio_applies "$num" "$den" || continue
    printf '%-31s' "$label"
    for m in 1 4 kpps; do
      vals=$(for ROUND in $(seq 1 "$ROUNDS"); do echo "${RAT[$label,$m,$ROUND]:--}"; done | grep -E '^[0-9.]+$' | sort -n)
      printf ' %s %-20s' "$([ $m = kpps ] && echo udp || echo x$m)" \
        "$(awk '{v[NR]=$1} END{if (!NR) {print "-"; exit} printf "%.3f (%.3f-%.3f)", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[1], v[NR]}' <<<"$vals")"
    done
    echo
  done
}
FMT='%-6s %-24s %9s %9s %17s %11s  %-13s %-9s %s\n'
{
  echo
  echo "== Weft data plane vs kernel VXLAN, wireguard-go, nebula; run $RUN_ID; TCP ${DUR}s, UDP ${UDP_LEN} B -b 0 ${UDP_DUR}s, ping -c $PINGS -i 0.05"
  echo "   $(uname -r), $(nproc) cpus, loadavg now $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "$FMT" round path "Gb/s x1" "Gb/s x4" "RTT avg(min) ms" "UDP kpps" "UDP loss" encrypted \
    "daemons h1+h2, % of a core: x1 / x4 / udp; retransmits x1 / x4"
  for ROUND in $(seq 1 "$ROUNDS"); do
    for path in "${RUN_PATHS[@]}"; do
      cpu="$(val $path cpu1) / $(val $path cpu4) / $(val $path cpuu)"
      [ "$path" = vxlan ] && cpu="kernel"
      printf "$FMT" "$ROUND" "$path" "$(val $path 1)" "$(val $path 4)" "$(val $path rtt)" "$(val $path kpps)" \
        "$(val $path loss)" "$(val $path enc)" "$cpu; retr $(val $path retr1) / $(val $path retr4)"
    done
    ratio_rows
    for path in weft weft-enc; do
      has_path $path || continue
      want=yes; [ $path = weft ] && want=no
      e=$(val $path enc)
      [ "$e" = "$want" ] || echo "WARNING round $ROUND: $path should be encrypted=$want but status said '$e':" \
        "its figures are not what the label says (does the data plane honour WEFT_ENCRYPTION yet?)"
    done
  done
  if [ "$ROUNDS" -gt 1 ]; then
    echo "ratios over $ROUNDS rounds, median (min-max):"
    ratio_summary
  fi
  for path in "${!SKIPPED[@]}"; do echo "not measured: $path: ${SKIPPED[$path]}"; done
  for path in "${RUN_PATHS[@]}"; do echo "$path: ${P_NOTE[$path]:-}"; done
  echo "(ratios within one round; 'encrypted' = what both data planes' status said after their start;"
  echo " results, iperf3 JSON and logs in $OUT)"
} | tee "$OUT/table.txt"
