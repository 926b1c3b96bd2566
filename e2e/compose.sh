#!/usr/bin/env bash
# Weft deployed with docker-compose on real Docker engines this test starts itself
# (e2e/docker-lib.sh: each dockerd in its own network namespace, images on a debootstrap base
# image, no registry). Two "hosts" on an underlay link 198.18.0.1 <-> 198.18.0.2: host 1 runs
# deploy/docker-compose.yml, host 2 deploy/docker-compose.data-plane.yml. Checks what a user
# relies on:
#   1. `docker-compose up` on host 1 builds and starts the control plane (on a non-default
#      published port), the data plane and Prometheus; the data plane becomes ready, registered
#   2. containers attached through the composed data plane (Docker containers by name and by
#      PID, a named network namespace) get their addresses and reach each other; names resolve through the
#      data plane's DNS server, also through the namespace's resolv.conf (when the daemon serves DNS)
#   3. host 2's compose file joins host 1's control plane; containers on the two hosts reach
#      each other across the underlay
#   4. Prometheus's API: both targets up == 1, Weft's own series present, alerting rules loaded
#   5. SIGTERM (`docker-compose stop`) stops the data plane cleanly (exit 143, not killed), the
#      containers keep their interfaces and traffic; the restarted daemon resumes from its
#      state volume
#   6. after detaching the containers, `docker-compose down` leaves no Weft interface behind
# and, around it all, that the host's firewall state is what it was before dockerd ran.
#
# Needs root, docker.io, docker-compose, debootstrap, iptables, iproute2, curl, jq, dig, java;
# builds nothing: run `mvn -B -DskipTests install` first. First run ~5 min (base image
# bootstrap, cached in /var/cache/weft-test), later runs ~2.5 min.
# Variables: E2E (name prefix, default wcomp), WORK, KEEP_WORK, WEFT_TEST_CACHE, DP_APP.
E2E=${E2E:-wcomp}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker-lib.sh"

COMPOSE_DIR=$ROOT/deploy
CP_PORT=16785                      # not the default: proves the published port is configurable
PROM=http://127.0.0.1:9090
UNDERLAY_1=198.18.0.1 UNDERLAY_2=198.18.0.2

# compose N ARGS...: host N's compose project (host 1: docker-compose.yml, host 2: the data plane's).
compose() {
  local n=$1 file=docker-compose.yml
  shift
  [ "$n" = 1 ] || file=docker-compose.data-plane.yml
  on_engine "$n" docker-compose --project-directory "$COMPOSE_DIR" -f "$COMPOSE_DIR/$file" -p "$E2E$n" \
    --env-file "$WORK/compose$n.env" "$@"
}

on_exit() {
  local rc=$? n
  set +e
  if [ $rc != 0 ]; then   # on success step 6 took everything down already
    for n in "${!DOCKERD_PIDS[@]}"; do
      compose "$n" logs --no-color >"$WORK/compose$n.log" 2>&1
      compose "$n" down -v --remove-orphans >>"$WORK/compose-down.log" 2>&1
    done
  fi
  stop_dockerds
  (exit $rc)
  cleanup
}
trap on_exit EXIT
trap 'exit 130' INT TERM

for tool in ip jq curl java nsenter dig; do
  command -v $tool >/dev/null || { log "missing $tool: apt-get install -y iproute2 jq curl util-linux bind9-dnsutils openjdk-17-jre-headless"; exit 2; }
done
for app in control-plane data-plane; do
  [ -f "$ROOT/$app/target/quarkus-app/quarkus-run.jar" ] || { log "no $app build in $ROOT/$app/target: run mvn -B -DskipTests install"; exit 2; }
done
log "work dir $WORK"

# weftc N VERB...: the local API of host N's composed data plane, from that host (the CLI's view).
weftc() {
  in_dockerhost "$1" java -XX:TieredStopAtLevel=1 -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$DP_APP/app/*:$DP_APP/lib/main/*:$DP_APP/lib/boot/*" io.weft.dataplane.api.LocalClient "${@:2}"
}
admin() { in_dockerhost 1 curl -sf -H "Authorization: Bearer $ADMIN" "http://127.0.0.1:$CP_PORT/api/v1$1"; }
prom_query() { in_dockerhost 1 curl -sf --get --data-urlencode "query=$1" "$PROM/api/v1/query"; }
weft_links() { in_dockerhost "$1" ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); if ($2 ~ /^weft/) print $2}' | sort; }
dp_ready() { in_dockerhost "$1" curl -sf http://127.0.0.1:6784/q/health/ready; }
# Containers: CONTAINER is "N:NAME", NAME running on engine N.
pid_of() { on_engine "${1%%:*}" "$DOCKER" inspect -f '{{.State.Pid}}' "$E2E-${1#*:}"; }
in_ctr() { local pid; pid=$(pid_of "$1"); shift; nsenter -t "$pid" -n "$@"; }
ctr_ping() { in_ctr "$1" ping -c 1 -W 1 "$2"; }
run_ctr() { on_engine "${1%%:*}" "$DOCKER" run -d --name "$E2E-${1#*:}" --network none "$BASE_IMAGE_TAG" sleep 3600 >/dev/null; }
# attach_ctr N:NAME -> the container's address; NAME is its DNS name. By Docker container name
# (the data plane asks the engine through its socket); attach_pid: by PID, the id given here.
attach_ctr() { weftc "${1%%:*}" attach "$E2E-${1#*:}" --name "${1#*:}" | jq -r .endpoint.ip; }
attach_pid() {
  weftc "${1%%:*}" attach "pid:$(pid_of "$1")" --container-id "$E2E-${1#*:}" --name "${1#*:}" | jq -r .endpoint.ip
}

# ---- every setting the compose files read is documented in .env.example -------------------------
undocumented=$(grep -ohE '\$\{[A-Z_]+' "$COMPOSE_DIR"/docker-compose*.yml "$COMPOSE_DIR"/data-plane.service.yml | cut -c3- | sort -u |
  while read -r v; do grep -q "^$v=" "$COMPOSE_DIR/.env.example" || echo "$v"; done)
[ -z "$undocumented" ] || { fail "settings missing from deploy/.env.example: $undocumented"; exit 1; }

# ---- engines, underlay, images --------------------------------------------------------------------
T0=$SECONDS
start_dockerd 1
start_dockerd 2
ip link add "$E2E-u1" type veth peer name "$E2E-u2"
for n in 1 2; do
  ip link set "$E2E-u$n" netns "$(dockerhost "$n")"
  eval "addr=\$UNDERLAY_$n"
  in_dockerhost "$n" ip addr add "$addr/24" dev "$E2E-u$n"
  in_dockerhost "$n" ip link set "$E2E-u$n" up
  import_base_image "$n"
done
# Prometheus from the Debian package on the same base: the compose file's default image comes from
# a registry this machine cannot reach.
mkdir -p "$WORK/prometheus-image"
cp "$(command -v prometheus)" "$WORK/prometheus-image/prometheus"
printf 'FROM %s\nCOPY prometheus /bin/prometheus\n' "$BASE_IMAGE_TAG" >"$WORK/prometheus-image/Dockerfile"
on_engine 1 "$DOCKER" build -q -t "$E2E/prometheus" "$WORK/prometheus-image" >/dev/null
log "engines and base images ready in $((SECONDS - T0)) s"

common="BASE_IMAGE=$BASE_IMAGE_TAG
WEFT_IMAGE_PREFIX=$E2E
WEFT_JOIN_TOKEN=$JOIN
WEFT_PASSWORD=compose-test-password"
cat >"$WORK/compose1.env" <<ENV
$common
DOCKER_SOCKET=$(docker_exec 1)/docker.sock
PROMETHEUS_IMAGE=$E2E/prometheus
WEFT_ADMIN_TOKEN=$ADMIN
WEFT_CP_PORT=$CP_PORT
WEFT_HOST_NAME=$E2E-h1
WEFT_ADVERTISE=$UNDERLAY_1
ENV
cat >"$WORK/compose2.env" <<ENV
$common
DOCKER_SOCKET=$(docker_exec 2)/docker.sock
WEFT_CONTROL_PLANE_URL=http://$UNDERLAY_1:$CP_PORT
WEFT_HOST_NAME=$E2E-h2
ENV

# ---- 1. up on host 1: both planes, data plane ready and registered --------------------------------
T0=$SECONDS
compose 1 up -d --build >"$WORK/compose-up1.log" 2>&1 || { tail -n 30 "$WORK/compose-up1.log" >&2; fail "docker-compose up"; exit 1; }
log "docker-compose up returned after $((SECONDS - T0)) s"
wait_for 90 "control plane ready on published port $CP_PORT" in_dockerhost 1 curl -sf "http://127.0.0.1:$CP_PORT/q/health/ready" || exit 1
wait_for 90 "data plane ready" dp_ready 1 || exit 1
admin "/hosts/$E2E-h1" | jq -e --arg h "$E2E-h1" '.name == $h' >/dev/null || { fail "host $E2E-h1 not registered"; exit 1; }
weftc 1 status | jq -e '.synced == true' >/dev/null || { fail "data plane not synced"; exit 1; }
pass "1: control plane and data plane up, $E2E-h1 registered and synced ($((SECONDS - T0)) s)"

# ---- 2. containers attached through the composed data plane --------------------------------------
run_ctr 1:app1
run_ctr 1:app2
IP1=$(attach_pid 1:app1)
IP2=$(attach_ctr 1:app2)
[[ $IP1 == 100.* && $IP2 == 100.* ]] || { fail "attach returned no address ($IP1, $IP2)"; exit 1; }
in_ctr 1:app1 ip -4 -o addr show ethwe | grep -q " $IP1/" || { fail "app1 has no ethwe with $IP1"; exit 1; }
wait_for 20 "app1 -> app2 ping" ctr_ping 1:app1 "$IP2" || exit 1
DNS=$(weftc 1 status | jq -r '.dns.listeners[0].address // empty')   # ip:port
# resolves NAME IP: NAME answers IP from app1, through host 1's DNS server
resolves() { [ "$(in_ctr 1:app1 dig +short +time=1 +tries=1 -p "${DNS##*:}" "@${DNS%:*}" "$1.weave.local")" = "$2" ]; }
# A named namespace: the data plane reaches it through the host's /var/run/netns.
new_ns "$E2E-ns1"
IPN=$(weftc 1 attach "netns:$E2E-ns1" --name ns1 | jq -r .endpoint.ip)
wait_for 20 "ns1 -> app1 ping" ip netns exec "$E2E-ns1" ping -c 1 -W 1 "$IP1" || exit 1
if [ -n "$DNS" ]; then
  wait_for 20 "app2.weave.local via $DNS" resolves app2 "$IP2" || exit 1
  # ip netns exec binds /etc/netns/NAME/resolv.conf, which the daemon writes through its mount.
  ns_resolves() { [ "$(ip netns exec "$E2E-ns1" dig +short +time=1 +tries=1 app2.weave.local)" = "$IP2" ]; }
  wait_for 20 "app2.weave.local from ns1 through its resolv.conf" ns_resolves || exit 1
  pass "2: app1=$IP1 app2=$IP2 ns1=$IPN reach each other; app2.weave.local resolves through $DNS"
else
  log "TODO: the data plane serves no DNS yet (no dns listeners in its status): name resolution not checked"
  pass "2: app1=$IP1 app2=$IP2 ns1=$IPN reach each other"
fi

# ---- 3. host 2 joins with the data-plane-only compose file ----------------------------------------
T0=$SECONDS
compose 2 up -d --build >"$WORK/compose-up2.log" 2>&1 || { tail -n 30 "$WORK/compose-up2.log" >&2; fail "docker-compose up (host 2)"; exit 1; }
wait_for 90 "host 2's data plane ready" dp_ready 2 || exit 1
admin "/hosts/$E2E-h2" | jq -e '.underlay_endpoints | index("'"$UNDERLAY_2"':6783")' >/dev/null \
  || { fail "host $E2E-h2 not registered with its underlay address"; admin /hosts >&2; exit 1; }
run_ctr 2:app3
IP3=$(attach_ctr 2:app3)
wait_for 30 "app1 (host 1) -> app3 (host 2)" ctr_ping 1:app1 "$IP3" || exit 1
ctr_ping 2:app3 "$IP2" >/dev/null || { fail "app3 (host 2) -> app2 (host 1)"; exit 1; }
if [ -n "$DNS" ]; then
  wait_for 20 "app3.weave.local from host 1" resolves app3 "$IP3" || exit 1
fi
pass "3: host 2 joined through docker-compose.data-plane.yml ($((SECONDS - T0)) s); app3=$IP3 reaches host 1's containers"

# ---- 4. Prometheus scrapes both --------------------------------------------------------------------
targets_up() { prom_query 'up{job=~"weft-.*"} == 1' | jq -e '.data.result | length == 2'; }
wait_for 90 "Prometheus: both targets up == 1" targets_up || { prom_query 'up' >&2; exit 1; }
has_series() { prom_query "$1" | jq -e '.data.result | length > 0'; }
wait_for 60 "Prometheus: data plane synced series" has_series 'weft_dataplane_synced{job="weft-data-plane"} == 1' || exit 1
wait_for 60 "Prometheus: IPAM series of the control plane" has_series 'weft_ipam_addresses{job="weft-control-plane",state="used"} >= 3' || exit 1
jobs=$(prom_query 'count by (job) ({__name__=~"weft_.+"})' | jq -r '[.data.result[].metric.job] | sort | join(",")')
[ "$jobs" = "weft-control-plane,weft-data-plane" ] || { fail "weft_ series by job: '$jobs'"; exit 1; }
rules=$(in_dockerhost 1 curl -sf "$PROM/api/v1/rules" | jq '[.data.groups[].rules[]] | length')
[ "$rules" -ge 4 ] || { fail "Prometheus loaded $rules alerting rules"; exit 1; }
sealed=""
if has_series 'weft_dataplane_encryption_enabled == 1'; then   # WEFT_ENCRYPTION (default on), WEFT_PASSWORD
  wait_for 60 "Prometheus: encrypted session of host 1 with host 2" \
    has_series "weft_dataplane_peer_session_established{peer=\"$E2E-h2\"} == 1" || exit 1
  sealed="; host 1's session with host 2 encrypted"
fi
pass "4: Prometheus: both targets up, Weft series from both jobs, $rules alerting rules loaded$sealed"

# ---- 5. SIGTERM stops the data plane cleanly; it restarts from its state -------------------------
before=$(weft_links 1)
T0=$SECONDS
compose 1 stop data-plane >>"$WORK/compose-stop.log" 2>&1
code=$(on_engine 1 "$DOCKER" inspect -f '{{.State.ExitCode}}' "${E2E}1_data-plane_1")
[ "$code" = 143 ] || { fail "data plane exit code $code after SIGTERM (143 = stopped by the signal, 137 = killed)"; exit 1; }
grep -q 'stopped in' <(compose 1 logs --no-color data-plane 2>&1) || { fail "no clean Quarkus shutdown in the data plane's log"; exit 1; }
in_ctr 1:app1 ip -4 -o addr show ethwe | grep -q " $IP1/" || { fail "app1 lost ethwe when the data plane stopped"; exit 1; }
ctr_ping 1:app1 "$IP2" >/dev/null || { fail "app1 -> app2 with the data plane stopped"; exit 1; }
stopped=$((SECONDS - T0))
compose 1 start data-plane >>"$WORK/compose-stop.log" 2>&1
wait_for 90 "data plane ready after restart" dp_ready 1 || exit 1
grep -q 'loaded persisted state' <(compose 1 logs --no-color data-plane 2>&1) || { fail "restarted data plane did not load its state"; exit 1; }
n=$(weftc 1 ps | jq "[.. | objects | select(has(\"ip\")) | .ip] | map(select(. == \"$IP1\" or . == \"$IP2\")) | unique | length")
[ "$n" = 2 ] || { fail "restarted data plane lists $n of its 2 containers"; exit 1; }
after=$(weft_links 1)
[ "$before" = "$after" ] || { fail "interfaces changed across the restart: [$before] -> [$after]"; exit 1; }
wait_for 30 "app3 (host 2) -> app1 after host 1's restart" ctr_ping 2:app3 "$IP1" || exit 1
pass "5: SIGTERM: stopped cleanly in ${stopped} s (exit 143), containers kept their interfaces; restart resumed from state"

# ---- 6. detach, down: nothing of Weft left --------------------------------------------------------
weftc 1 detach "netns:$E2E-ns1" >/dev/null || { fail "detach ns1"; exit 1; }
weftc 1 detach "pid:$(pid_of 1:app1)" --container-id "$E2E-app1" >/dev/null || { fail "detach app1"; exit 1; }
for c in 1:app2 2:app3; do
  weftc "${c%%:*}" detach "$E2E-${c#*:}" >/dev/null || { fail "detach $c by container name"; exit 1; }
done
for c in 1:app1 1:app2 2:app3; do on_engine "${c%%:*}" "$DOCKER" rm -f "$E2E-${c#*:}" >/dev/null; done
for n in 2 1; do
  compose "$n" down -v >>"$WORK/compose-down.log" 2>&1 || { fail "docker-compose down (host $n)"; exit 1; }
  left=$(weft_links "$n")
  [ -z "$left" ] || { fail "docker-compose down left Weft interfaces on host $n: $left"; exit 1; }
  [ -z "$(on_engine "$n" "$DOCKER" ps -aq)" ] || { fail "containers left on host $n after down"; exit 1; }
done
pass "6: docker-compose down left no Weft interface and no container on either host"
log "all compose checks passed"
