#!/usr/bin/env bash
# Weft end to end: DNS for containers (issue 5). Needs root, iproute2, java, curl, jq, dig
# (bind9-dnsutils), dnsmasq (dnsmasq-base), python3. Builds nothing: run
# `mvn -B -pl control-plane,data-plane -am install -DskipTests` first.
#
# Two hosts h1, h2 on the underlay, network blue 100.64.1.0/24 (domain weave.local); containers
# c1 "alpha" and c4 "web" on h1, c2 "beta" and c3 "web" on h2. An upstream resolver (dnsmasq,
# started here, --no-resolv) in namespace $E2E-up at 198.18.0.53 knows outside.example.test; the
# hosts' resolv.conf (/etc/netns/$E2E-hN/resolv.conf, which `ip netns exec` binds over
# /etc/resolv.conf) first names a dead server, then the real one. Queries are made with dig from
# inside the containers, through the resolv.conf the data plane wrote for them.
# Usage: e2e/dns.sh   (E2E=prefix, KEEP_WORK=1, HOLD_ON_EXIT=SECONDS as for run.sh)
source "$(dirname "$0")/lib.sh"
e2e_begin "ip jq curl java dig dnsmasq python3" "iproute2 jq curl bind9-dnsutils dnsmasq-base python3"   # cleanup also removes /etc/netns/$E2E-*

UP_IP=198.18.0.53
DEAD_IP=198.18.0.250
OUTSIDE_IP=198.18.0.99


set_host_resolver() { # HOST_INDEX IP: rewrite in place (a rename would not reach the bind mount)
  mkdir -p "/etc/netns/$E2E-h$1"
  printf 'nameserver %s\n' "$2" >"/etc/netns/$E2E-h$1/resolv.conf"
}

# dq CONTAINER ARGS...: dig from inside a container (short timeouts; every call bounded)
dq() { local c=$1; shift; in_c "$c" timeout 10 dig +time=2 +tries=1 "$@"; }
status_of() { dq "$1" "${@:2}" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n1; }
answers_of() { dq "$@" +short | grep -v '^;' || true; }
dns_status() { weft "$1" status | jq -c '.dns'; }
upstream_is() { weft "$1" status | jq -e --arg u "$2:53" '.dns.upstreamServers == [$u]'; }
resolves_to() { [ "$(answers_of "$1" "$2")" = "$3" ]; }
dns_ip_of() { weft "$1" status | jq -r --arg n "$2" '.dns.listeners[] | select(.network == $n) | .address' | cut -d: -f1; }

log "work dir $WORK"
build_underlay 2
attach_underlay "$E2E-up" "$UP_IP" up
ip -n "$E2E-up" addr add "$OUTSIDE_IP/24" dev eth0
ip netns exec "$E2E-up" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address="$UP_IP" \
  --port=53 --pid-file="$WORK/dnsmasq-up.pid" --host-record=outside.example.test,"$OUTSIDE_IP" --log-facility="$WORK/dnsmasq-up.log" &
PIDS[upstream]=$!
set_host_resolver 1 "$DEAD_IP"
set_host_resolver 2 "$UP_IP"
start_control_plane
create_network blue 100.64.1.0/24
start_data_plane 1 WEFT_DNS_UPSTREAM_TIMEOUT=1s
start_data_plane 2 WEFT_DNS_UPSTREAM_TIMEOUT=1s

attach_named() { # HOST CONTAINER NAME -> IP
  [ -e "/var/run/netns/$E2E-$2" ] || new_ns "$E2E-$2"
  weft "$1" attach "netns:$E2E-$2" --network blue --name "$3" | jq -r .endpoint.ip
}
IP1=$(attach_named 1 c1 alpha)
IP2=$(attach_named 2 c2 beta)
IP3=$(attach_named 2 c3 web)
IP4=$(attach_named 1 c4 web)
admin POST /dns/records '{"name":"web","ips":["100.64.1.200"]}' >/dev/null
admin POST /dns/records '{"name":"db.prod.weave.local","ips":["100.64.1.201"]}' >/dev/null
MANY=$(python3 -c 'import json; print(json.dumps({"name":"many","ips":["100.64.3.%d" % i for i in range(1, 51)]}))')
admin POST /dns/records "$MANY" >/dev/null
DNS1=$(dns_ip_of 1 blue)
DNS2=$(dns_ip_of 2 blue)
log "alpha=$IP1 (h1) beta=$IP2 (h2) web=$IP3,$IP4,100.64.1.200; DNS h1=$DNS1 h2=$DNS2"
log "h1 dns status: $(dns_status 1)"

check() { # NAME COMMAND...: one test item
  if "${@:2}"; then pass "$1"; else fail "$1" || true; fi
}

t_resolv_conf() {
  local f="/etc/netns/$E2E-c1/resolv.conf"
  [ -n "$DNS1" ] && [ -n "$DNS2" ] || { log "no DNS listener address in status"; return 1; }
  grep -qx "nameserver $DNS1" "$f" && grep -qx "search weave.local" "$f" || { log "$f: $(cat "$f" 2>&1)"; return 1; }
  grep -qx "nameserver $DNS2" "/etc/netns/$E2E-c2/resolv.conf"
}

t_cross_host() {
  wait_for 10 "alpha visible on h2" resolves_to c2 beta.weave.local "$IP2" || return 1
  resolves_to c1 beta.weave.local "$IP2" && resolves_to c2 alpha.weave.local "$IP1"
}

t_round_robin() {
  local firsts="" i out
  for i in 1 2 3 4 5 6; do
    out=$(answers_of c1 web.weave.local)
    [ "$(echo "$out" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$IP3" "$IP4" 100.64.1.200 | sort | tr '\n' ' ')" ] \
      || { log "web answered: $out"; return 1; }
    firsts+="$(echo "$out" | head -n1) "
  done
  [ "$(echo "$firsts" | tr ' ' '\n' | grep -c . )" = 6 ] && [ "$(echo "$firsts" | tr ' ' '\n' | sort -u | grep -c .)" = 3 ] \
    || { log "first addresses of six answers: $firsts"; return 1; }
}

t_single_label() {
  [ "$(answers_of c1 beta +search)" = "$IP2" ] || { log "dig +search beta: $(answers_of c1 beta +search)"; return 1; }
  # What programs see: the C library's resolver with the search line.
  [ "$(in_c c1 getent hosts beta | awk '{print $1}')" = "$IP2" ]
}

t_case() { resolves_to c1 BeTa.WEAVE.Local "$IP2" && resolves_to c2 ALPHA.weave.local "$IP1"; }

t_subdomain() { resolves_to c2 db.prod.weave.local 100.64.1.201; }

t_nxdomain_vs_noerror() {
  [ "$(status_of c1 nothere.weave.local)" = NXDOMAIN ] || return 1
  [ "$(status_of c1 beta.weave.local AAAA)" = NOERROR ] && [ -z "$(answers_of c1 beta.weave.local AAAA)" ] || return 1
  [ "$(status_of c1 beta.weave.local MX)" = NOERROR ] && [ -z "$(answers_of c1 beta.weave.local MX)" ]
}

t_ptr() {
  [ "$(answers_of c1 -x "$IP2")" = "beta.weave.local." ] || { log "PTR $IP2: $(answers_of c1 -x "$IP2")"; return 1; }
  [ "$(status_of c1 -x 100.64.1.177)" = NXDOMAIN ] || return 1
  # Not a Weft address: answered by the upstream (dnsmasq makes a PTR for its host-record).
  [ "$(answers_of c2 -x "$OUTSIDE_IP")" = "outside.example.test." ]
}

t_upstream() {
  # h1's resolv.conf names a dead server: SERVFAIL after the timeout, not a hang.
  wait_for 10 "h1 upstream = dead server" upstream_is 1 "$DEAD_IP" || return 1
  [ "$(status_of c1 outside.example.test +time=5)" = SERVFAIL ] || { log "dead upstream gave $(status_of c1 outside.example.test +time=5)"; return 1; }
  # h2 uses the real one.
  resolves_to c2 outside.example.test "$OUTSIDE_IP" || return 1
  # h1's file changes: re-read, now forwarded.
  set_host_resolver 1 "$UP_IP"
  wait_for 10 "h1 re-read its resolv.conf" upstream_is 1 "$UP_IP" || return 1
  resolves_to c1 outside.example.test "$OUTSIDE_IP"
}

t_truncation() {
  local udp tcp big
  udp=$(dq c1 many.weave.local +noedns +ignore)
  echo "$udp" | grep -q 'flags:.* tc' || { log "UDP without EDNS0 not truncated: $udp"; return 1; }
  tcp=$(answers_of c1 many.weave.local +tcp | sort -u | grep -c .)
  [ "$tcp" = 50 ] || { log "TCP gave $tcp addresses"; return 1; }
  big=$(dq c1 many.weave.local +bufsize=4096 +ignore)
  echo "$big" | grep -q 'flags:.* tc' && { log "EDNS0 4096 still truncated"; return 1; }
  [ "$(echo "$big" | grep -c 'IN[[:space:]]A[[:space:]]')" = 50 ]
}

t_malformed() {
  local before after
  before=$(metric 1 'weft_dataplane_dns_queries_total\{.*rcode="FORMERR"')
  in_c c1 timeout 10 python3 - "$DNS1" <<'PY' || return 1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x3fxx", (sys.argv[1], 53))  # a label running off the end
reply, _ = s.recvfrom(4096)
assert reply[:2] == b"\x12\x34" and reply[3] & 0x0f == 1, reply   # same id, FORMERR
for n in (1, 5, 11):                                                # too short to answer: dropped
    s.sendto(b"\xff" * n, (sys.argv[1], 53))
PY
  after=$(metric 1 'weft_dataplane_dns_queries_total\{.*rcode="FORMERR"')
  [ "$after" -gt "$before" ] || return 1
  [ "$(metric 1 'weft_dataplane_dns_dropped_total\{reason="short"')" -ge 3 ] || return 1
  resolves_to c1 beta.weave.local "$IP2"   # still serving
}

t_not_open_resolver() {
  # From the underlay (the control plane's namespace), with a route to the network: no answer.
  ip -n "$E2E-cp" route add 100.64.1.0/24 via "$(host_ip 1)"
  local out rc=0
  out=$(ip netns exec "$E2E-cp" timeout 10 dig +time=2 +tries=1 @"$DNS1" beta.weave.local 2>&1) && rc=1
  ip -n "$E2E-cp" route del 100.64.1.0/24 via "$(host_ip 1)"
  [ $rc = 0 ] || { log "answered an outside client: $out"; return 1; }
  [ "$(metric 1 'weft_dataplane_dns_dropped_total\{reason="not_allowed"')" -ge 1 ]
}

t_metrics() {
  [ "$(metric 1 'weft_dataplane_dns_queries_total\{.*rcode="NOERROR".*type="A"|weft_dataplane_dns_queries_total\{.*type="A".*rcode="NOERROR"')" -gt 0 ] || return 1
  [ "$(metric 1 'weft_dataplane_dns_queries_total\{.*NXDOMAIN')" -gt 0 ] || return 1
  [ "$(metric 1 'weft_dataplane_dns_latency_seconds_count\{answer="local"')" -gt 0 ] || return 1
  [ "$(metric 1 'weft_dataplane_dns_latency_seconds_count\{answer="upstream"')" -gt 0 ]
}

t_status() {
  weft 1 status | jq -e '.dns.enabled == true and .dns.ttlSeconds == 1 and (.dns.domains | index("weave.local")) != null
    and .dns.records >= 55' >/dev/null || { log "status: $(dns_status 1)"; return 1; }
  [ "$(dq c1 beta.weave.local | awk '$1 == "beta.weave.local." {print $2}')" = 1 ]   # TTL 1 s
}

t_stop_launch() {
  weft 1 stop-dns | jq -e '(.enabled // false) == false' >/dev/null || return 1   # JSON leaves false out
  if dq c1 beta.weave.local >/dev/null 2>&1; then log "answered after stop-dns"; return 1; fi
  weft 1 launch-dns | jq -e '.enabled == true' >/dev/null || return 1
  wait_for 10 "answers after launch-dns" resolves_to c1 beta.weave.local "$IP2"
}

beta_gone_on() { [ "$(status_of "$1" beta.weave.local)" = NXDOMAIN ]; }

t_detach_removes() {
  weft 2 detach "netns:$E2E-c2" >/dev/null || return 1
  local t0 ms
  t0=$(date +%s%N)
  wait_for 5 "beta gone on h1" beta_gone_on c1 || return 1
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  beta_gone_on c3 || { log "beta still known on h2"; return 1; }
  [ "$(status_of c1 -x "$IP2")" = NXDOMAIN ] || { log "PTR of $IP2 still there"; return 1; }
  [ ! -e "/etc/netns/$E2E-c2/resolv.conf" ] || { log "c2's resolv.conf left behind"; return 1; }
  [ $ms -le 3000 ] || { log "records took $ms ms to go"; return 1; }
  log "beta gone from h1's answers $ms ms after detach returned"
}

web_count_is() { [ "$(answers_of "$1" web.weave.local | grep -c .)" = "$2" ]; }

t_dead_removed() {
  # c3 ("web" on h2) dies without a detach: its namespace is deleted.
  ip netns del "$E2E-c3"
  local t0 ms
  t0=$(date +%s%N)
  wait_for 5 "the dead web address gone on h1" web_count_is c1 2 || return 1
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ -z "$(answers_of c1 web.weave.local | grep -x "$IP3")" ] || return 1
  [ $ms -le 3000 ] || { log "took $ms ms"; return 1; }
  log "dead container's record gone from h1's answers $ms ms after its namespace was deleted"
}

check "resolv.conf of containers points at their host's DNS address, search weave.local" t_resolv_conf
check "cross-host resolution" t_cross_host
check "round robin over every address" t_round_robin
check "single-label names (dig +search, getent)" t_single_label
check "case-insensitive names" t_case
check "subdomains of the domain" t_subdomain
check "NXDOMAIN for unknown names, NOERROR empty for other types" t_nxdomain_vs_noerror
check "PTR: Weft addresses locally, others upstream" t_ptr
check "upstream: SERVFAIL when all fail, resolv.conf re-read, forwarded" t_upstream
check "50 records: UDP truncated (TC), TCP complete, EDNS0 honoured" t_truncation
check "malformed queries: FORMERR or dropped, server keeps serving" t_malformed
check "not an open resolver" t_not_open_resolver
check "metrics by type and rcode, latency histogram" t_metrics
check "status: domain, upstream, TTL, records" t_status
check "stop-dns / launch-dns" t_stop_launch
check "detach: records gone from every host, resolv.conf removed" t_detach_removes
check "dead container (namespace deleted): its records gone too" t_dead_removed

if [ $FAILED = 0 ]; then log "all DNS checks passed"; else log "some DNS checks failed; logs in $WORK"; exit 1; fi
