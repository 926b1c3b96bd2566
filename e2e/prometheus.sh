#!/usr/bin/env bash
# Prometheus (the Debian package, no Docker) scraping a running control plane and data planes,
# with Weft's own configuration (deploy/prometheus/start.sh, prometheus.yml, weft-alerts.yml):
#   1. promtool accepts the alerting rules (check rules) and their unit tests pass (test rules)
#   2. Prometheus's API reports both jobs up == 1 and holds Weft's series from both; the alerting
#      rules loaded healthy, and none of them fires on this healthy set-up
#   3. docs/METRICS.md catalogues every weft_* metric both services expose, and the dashboard and
#      the rules use only catalogued metrics
#   4. every PromQL expression of the Grafana dashboard evaluates without error on this Prometheus
# Layout (lib.sh): control plane in $E2E-cp, data planes h1 and h2 (so per-peer series exist), a
# namespace container on each; Prometheus runs in h1, where that data plane's loopback API is.
# Needs root, prometheus (Debian package: prometheus, promtool), iproute2, curl, jq, java.
# Builds nothing: run `mvn -B -DskipTests install` first. ~1 min.
E2E=${E2E:-wprom}
source "$(dirname "$0")/lib.sh"
e2e_begin "prometheus promtool ip jq curl java dig" "prometheus iproute2 jq curl bind9-dnsutils"
PROMDIR=$ROOT/deploy/prometheus
DASHBOARD=$ROOT/deploy/grafana/weft-dashboard.json
CATALOGUE=$ROOT/docs/METRICS.md
PROM=http://127.0.0.1:9090
log "work dir $WORK"

prom_get() { ip netns exec "$E2E-h1" curl -sf --get "$@"; }
prom_query() { prom_get --data-urlencode "query=$1" "$PROM/api/v1/query"; }
has_result() { prom_query "$1" | jq -e '.data.result | length > 0'; }
# weft_* metric names an expression file mentions (histogram suffixes folded into the family).
names_in() { grep -ohE 'weft_[a-z0-9_]+' "$@" | sed -E 's/_(bucket|count|sum|max)$//' | sort -u; }

# ---- 1. the rules load and behave --------------------------------------------------------------
promtool check rules "$PROMDIR/weft-alerts.yml" >"$WORK/promtool.log" 2>&1 || { cat "$WORK/promtool.log" >&2; fail "promtool check rules"; exit 1; }
(cd "$PROMDIR" && promtool test rules weft-alerts.test.yml) >>"$WORK/promtool.log" 2>&1 \
  || { cat "$WORK/promtool.log" >&2; fail "promtool test rules"; exit 1; }
pass "1: promtool check rules and test rules"

# ---- the services, a container on each host -----------------------------------------------------
build_underlay 2
start_control_plane
start_data_plane 1
start_data_plane 2
IP1=$(attach 1 c1 default)
IP2=$(attach 2 c2 default)
wait_for 20 "c1 -> c2" can_ping c1 "$IP2" || exit 1
# A DNS query (when the daemon serves DNS) and a refused API call, so their counters exist too.
DNS=$(weft 1 status | jq -r '.dns.listeners[0].address // empty')
[ -z "$DNS" ] || in_c c1 dig +short +time=1 +tries=1 -p "${DNS##*:}" "@${DNS%:*}" c2.weave.local >/dev/null || true
ip netns exec "$E2E-cp" curl -s -o /dev/null -H "Authorization: Bearer wrong-token" http://127.0.0.1:6785/api/v1/networks

ip netns exec "$E2E-h1" env PROMETHEUS_WORK="$WORK/prometheus" PROMETHEUS_STORAGE="$WORK/prometheus-data" \
  PROMETHEUS_LISTEN=127.0.0.1:9090 WEFT_CP_TARGET="$CP_IP:6785" WEFT_HOST_NAME=h1 \
  "$PROMDIR/start.sh" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS[prometheus]=$!
wait_for 30 "Prometheus ready" prom_get "$PROM/-/ready" || exit 1
promtool check config "$WORK/prometheus/prometheus.yml" >>"$WORK/promtool.log" 2>&1 \
  || { cat "$WORK/promtool.log" >&2; fail "promtool check config"; exit 1; }

# ---- 2. both targets up, Weft's series from both ------------------------------------------------
targets_up() { prom_query 'up{job=~"weft-.*"} == 1' | jq -e '.data.result | length == 2'; }
wait_for 60 "both targets up == 1" targets_up || { prom_query up >&2; exit 1; }
wait_for 30 "h1 synced, seen by Prometheus" has_result 'weft_dataplane_synced{job="weft-data-plane",host="h1"} == 1' || exit 1
wait_for 30 "addresses used, seen by Prometheus" has_result 'weft_ipam_addresses{job="weft-control-plane",network="default",state="used"} >= 2' || exit 1
has_result 'weft_dataplane_mac_entries{host="h1",network="default"} >= 1' >/dev/null || { fail "no MAC table series labelled with the network's name"; exit 1; }
jobs=$(prom_query 'count by (job) ({__name__=~"weft_.+"})' | jq -r '[.data.result[].metric.job] | sort | join(",")')
[ "$jobs" = "weft-control-plane,weft-data-plane" ] || { fail "weft_ series by job: '$jobs'"; exit 1; }
rules=$(prom_get "$PROM/api/v1/rules")
echo "$rules" | jq -e '[.data.groups[].rules[]] | length >= 6 and all(.health == "ok")' >/dev/null \
  || { echo "$rules" | jq . >&2; fail "alerting rules not all loaded and healthy"; exit 1; }
firing=$(prom_get "$PROM/api/v1/alerts" | jq -r '[.data.alerts[].labels.alertname] | join(",")')
[ -z "$firing" ] || { fail "alerts pending or firing on a healthy set-up: $firing"; exit 1; }
pass "2: both targets up, weft_ series from both jobs, $(echo "$rules" | jq '[.data.groups[].rules[]] | length') rules healthy, none firing"

# ---- 3. the catalogue is complete -----------------------------------------------------------------
{ ip netns exec "$E2E-cp" curl -sf http://127.0.0.1:6785/q/metrics; ip netns exec "$E2E-h1" curl -sf http://127.0.0.1:6784/q/metrics; } \
  | grep -oE '^weft_[a-z0-9_]+' | sed -E 's/_(bucket|count|sum|max)$//' | sort -u >"$WORK/exposed.txt"
names_in "$CATALOGUE" >"$WORK/catalogued.txt"
missing=$(comm -23 "$WORK/exposed.txt" "$WORK/catalogued.txt" | tr '\n' ' ')
[ -z "$missing" ] || { fail "exposed but not in docs/METRICS.md: $missing"; exit 1; }
unknown=$(names_in "$DASHBOARD" "$PROMDIR/weft-alerts.yml" | comm -23 - "$WORK/catalogued.txt" | tr '\n' ' ')
[ -z "$unknown" ] || { fail "dashboard or rules use metrics docs/METRICS.md does not list: $unknown"; exit 1; }
pass "3: docs/METRICS.md lists all $(wc -l <"$WORK/exposed.txt") weft_* metrics exposed; dashboard and rules use only those"
# ---- 4. the dashboard's queries run -------------------------------------------------------------
jq -e '.panels | length > 0' "$DASHBOARD" >/dev/null || { fail "$DASHBOARD: no panels"; exit 1; }
n=0
while IFS= read -r expr; do
  # Grafana's variables and interval macros, as Grafana would expand them.
  q=$(printf '%s' "$expr" | sed -e 's/\$__rate_interval/1m/g; s/\$__interval/15s/g; s/\$host/.*/g; s/\$network/.*/g; s/\$instance/.*/g')
  status=$(prom_query "$q" | jq -r .status 2>/dev/null || echo error)
  [ "$status" = success ] || { fail "dashboard query does not evaluate: $expr"; prom_query "$q" >&2; exit 1; }
  n=$((n + 1))
done < <(jq -r '.. | objects | select(has("expr")) | .expr' "$DASHBOARD")
[ $n -gt 0 ] || { fail "no queries in $DASHBOARD"; exit 1; }
pass "4: all $n dashboard queries evaluate"

log "all Prometheus checks passed"
