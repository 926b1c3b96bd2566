#!/usr/bin/env bash
# bench/dns.sh -- Weft's DNS server against dnsmasq serving the same names, same run (issue 5).
#
# Topology (namespaces, built with e2e/lib.sh; prefix $E2E, default "wbdns"):
#   [$E2E-cp] control plane 198.18.0.1, [$E2E-h1] data plane 198.18.0.11 (one host is enough: DNS
#   is answered by the container's own host). Network "blue" 100.64.1.0/24; the client container
#   [$E2E-c1] is attached on h1 and runs dnsperf.
#   weft:    c1 ethwe ─ bridge ─ h1's DNS address on the bridge (allocated by the data plane), port 53
#   dnsmasq: c1 ethwe ─ bridge ─ 100.64.1.250 (added to the same bridge), port 53, dnsmasq 2.90 from
#            Debian with the same names in an --addn-hosts file, --local-ttl=1 (Weft's TTL),
#            --local=/weave.local/ (unknown names there are NXDOMAIN, never forwarded), --no-resolv.
# Both servers are reached over the same veth and bridge from the same client.
#
# Per server: a throughput run (dnsperf as fast as it can with $OUTSTANDING queries in flight,
# $DUR s) and a latency run at a fixed $RATE queries/s with per-query latencies (dnsperf -v) from
# which p50/p99/p99.9 are computed. The query file: $NAMES names with one address each, A queries,
# plus 1 in 10 queries for unknown names (NXDOMAIN). A $WARMUP s run against Weft first lets the
# JIT compile the query path. Servers alternate per round ($ROUNDS).
#
# Usage (root, after `mvn -B -pl control-plane,data-plane -am install -DskipTests`; needs dnsperf
# and dnsmasq-base, installed here when missing):
#   bench/dns.sh
# Knobs: NAMES (200), DUR (15), RATE (5000), OUTSTANDING (100), WARMUP (10), ROUNDS (2),
#        DNS_THREADS (1: weft.dns.threads of the data plane),
#        CP_JAR / DP_APP (as in e2e/lib.sh), OUTROOT (/tmp/weft-bench-dns), E2E (wbdns).
set -uo pipefail
export LC_ALL=C
E2E=${E2E:-wbdns}
NAMES=${NAMES:-200}
DUR=${DUR:-15}
RATE=${RATE:-5000}
OUTSTANDING=${OUTSTANDING:-100}
WARMUP=${WARMUP:-10}
DNS_THREADS=${DNS_THREADS:-1}
ROUNDS=${ROUNDS:-2}
OUTROOT=${OUTROOT:-/tmp/weft-bench-dns}
OUT=$OUTROOT/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
WORK=$OUT/work
KEEP_WORK=1
source "$(dirname "$0")/../e2e/lib.sh"
set +e
if ip netns list | grep -q "^$E2E-"; then
  echo "namespaces $E2E-* exist (another run, or a crashed one): set E2E=<other prefix> or delete them" >&2
  exit 2
fi
trap cleanup EXIT
trap 'exit 130' INT TERM

missing=()
command -v dnsperf >/dev/null || missing+=(dnsperf)
command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "missing: ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || exit 2
fi
[ -f "$CP_JAR" ] && [ -f "$DP_APP/quarkus-run.jar" ] || { echo "build first: mvn -B -pl control-plane,data-plane -am install -DskipTests" >&2; exit 2; }

DNSMASQ_IP=100.64.1.250
build_underlay 1
start_control_plane
create_network blue 100.64.1.0/24
start_data_plane 1 WEFT_DNS_THREADS="$DNS_THREADS"
new_ns "$E2E-c1"
weft 1 attach "netns:$E2E-c1" --network blue >/dev/null || { echo "attach failed" >&2; exit 1; }
WEFT_IP=$(weft 1 status | jq -r '.dns.listeners[] | select(.network == "blue") | .address' | cut -d: -f1)
[ -n "$WEFT_IP" ] || { echo "no DNS listener: $(weft 1 status | jq -c .dns)" >&2; exit 1; }

# The same names for both servers: Weft through the control plane, dnsmasq from a hosts file.
: >"$OUT/hosts"
: >"$OUT/queries"
for i in $(seq 1 "$NAMES"); do
  ip="100.64.4.$((i % 250 + 1))"
  admin POST /dns/records "{\"name\":\"name$i\",\"ips\":[\"$ip\"]}" >/dev/null
  echo "$ip name$i.weave.local" >>"$OUT/hosts"
  echo "name$i.weave.local A" >>"$OUT/queries"
  [ $((i % 9)) = 0 ] && echo "nothere$i.weave.local A" >>"$OUT/queries"
done
wait_for 20 "records on h1" bash -c "[ \"\$(ip netns exec $E2E-h1 curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:6784/q/health/live)\" = 200 ] && \
  ip netns exec $E2E-c1 dig +short +time=1 +tries=1 @$WEFT_IP name$NAMES.weave.local | grep -q ."
BRIDGE=$(weft 1 status | jq -r '.networks[] | select(.name == "blue") | .bridge')
ip -n "$E2E-h1" addr add "$DNSMASQ_IP/32" dev "$BRIDGE"
ip netns exec "$E2E-h1" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$OUT/hosts" --local=/weave.local/ \
  --local-ttl=1 --bind-interfaces --listen-address="$DNSMASQ_IP" --port=53 --pid-file="$WORK/dnsmasq.pid" >"$WORK/dnsmasq.log" 2>&1 &
PIDS[dnsmasq]=$!
wait_for 10 "dnsmasq answers" bash -c "ip netns exec $E2E-c1 dig +short +time=1 +tries=1 @$DNSMASQ_IP name1.weave.local | grep -q ."

server_ip() { [ "$1" = weft ] && echo "$WEFT_IP" || echo "$DNSMASQ_IP"; }

throughput() { # SERVER ROUND
  ip netns exec "$E2E-c1" dnsperf -s "$(server_ip "$1")" -d "$OUT/queries" -l "$DUR" -c 4 -q "$OUTSTANDING" \
    >"$OUT/tput-$1-$2.txt" 2>&1
  awk '/Queries per second/ {printf "%d", $4}' "$OUT/tput-$1-$2.txt"
}

latency() { # SERVER ROUND -> "p50 p99 p999 lost" in microseconds
  ip netns exec "$E2E-c1" dnsperf -v -s "$(server_ip "$1")" -d "$OUT/queries" -l "$DUR" -Q "$RATE" -c 1 \
    >"$OUT/lat-$1-$2.txt" 2>&1
  local lost
  lost=$(awk '/Queries lost/ {print $3}' "$OUT/lat-$1-$2.txt")
  # Verbose lines: "> NOERROR name7.weave.local A 0.000123" (last field: seconds).
  grep '^> ' "$OUT/lat-$1-$2.txt" | awk '{print $NF * 1e6}' | sort -n | awk -v lost="$lost" '
    function at(q,  i) { i = int(NR * q); if (i < 1) i = 1; return v[i] }
    { v[NR] = $1 }
    END { if (NR == 0) { print "- - - " lost; exit }; printf "%d %d %d %s\n", at(0.5), at(0.99), at(0.999), lost }'
}

log "warm-up: ${WARMUP}s against Weft"
ip netns exec "$E2E-c1" dnsperf -s "$WEFT_IP" -d "$OUT/queries" -l "$WARMUP" -c 4 -q "$OUTSTANDING" >"$OUT/warmup.txt" 2>&1
{
  echo "| round | server | queries/s (max, $OUTSTANDING in flight) | p50 µs | p99 µs | p99.9 µs | lost (at $RATE q/s) |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT/results.md"
for r in $(seq 1 "$ROUNDS"); do
  for s in weft dnsmasq; do
    q=$(throughput "$s" "$r")
    read -r p50 p99 p999 lost <<<"$(latency "$s" "$r")"
    echo "| $r | $s | $q | $p50 | $p99 | $p999 | $lost |" >>"$OUT/results.md"
    log "round $r $s: $q q/s; at $RATE q/s p50 $p50 µs, p99 $p99 µs, p99.9 $p999 µs, lost $lost"
  done
done
ip netns exec "$E2E-h1" curl -sf http://127.0.0.1:6784/q/metrics | grep -E '^weft_dataplane_dns_(queries_total|dropped|latency)' >"$OUT/metrics.txt"
cat "$OUT/results.md"
log "results and raw dnsperf output in $OUT"
