# bench/peers.sh -- the other overlays bench/dataplane.sh compares Weft with, run between the same
# two namespace hosts ($E2E-h1, $E2E-h2) on the same underlay. Sourced by bench/dataplane.sh after
# e2e/lib.sh (uses log, fail, wait_for, host_ip, PIDS, WORK, E2E).
#
#   wggo:   wireguard-go (userspace WireGuard, ChaCha20-Poly1305), tun "${E2E}wg1/2" mtu 1420,
#           100.64.2.0/24, UDP 51821/51822, configured with `wg` (Debian: wireguard-go wireguard-tools)
#   nebula: nebula (Noise IK handshake, AES-256-GCM data path), tun "${E2E}nb1/2" mtu 1420,
#           100.64.5.0/24, UDP 4242, own CA from nebula-cert, h1 is the lighthouse (Debian: nebula)
#
# The tunnels end in the hosts' own namespaces, so their endpoints are the hosts themselves: they
# are spared the veth + bridge hop that Weft's and VXLAN's containers pay (in their favour).
# Daemons are started in the foreground with `ip netns exec` (which execs, so $! is the daemon) and
# registered in PIDS: lib.sh's cleanup stops them by PID, also on failure.

PEER_MTU=1420
WG_IF=${E2E}wg     # + host index; interface names must stay within 15 characters
NB_IF=${E2E}nb
[ ${#WG_IF} -le 14 ] || { WG_IF=${E2E:0:12}wg; NB_IF=${E2E:0:12}nb; }

# peer_tools PATH -> the commands PATH needs, and the Debian packages that bring them
peer_tools() {
  case $1 in
    wggo) echo "wireguard-go wg|wireguard-go wireguard-tools";;
    nebula) echo "nebula nebula-cert|nebula";;
  esac
}

# peer_start NAME NS CMD...: start a daemon in NS, its output to $WORK/NAME.log; sets PEER_PID
peer_start() {
  local name=$1 ns=$2
  shift 2
  ip netns exec "$ns" "$@" >>"$WORK/$name.log" 2>&1 &
  PEER_PID=$!
  PIDS[$name]=$PEER_PID
}

wg_sockets_remove() { rm -f "/var/run/wireguard/${WG_IF}1.sock" "/var/run/wireguard/${WG_IF}2.sock"; }

# setup_wggo: sets P_CLI/P_SRV/P_DST/P_DAEMONS/P_NOTE for path wggo; non-zero with a message on failure
setup_wggo() {
  local d=$WORK/wggo i o pids=()
  mkdir -p "$d"
  wg_sockets_remove
  ( umask 077; for i in 1 2; do wg genkey >"$d/k$i" && wg pubkey <"$d/k$i" >"$d/p$i" || exit 1; done ) \
    || { fail "wggo: wg genkey failed"; return 1; }
  for i in 1 2; do
    peer_start "wggo$i" "$E2E-h$i" env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$WG_IF$i"
    pids+=("$PEER_PID")
  done
  for i in 1 2; do
    wait_for 10 "wireguard-go $WG_IF$i UAPI socket (log $WORK/wggo$i.log)" test -S "/var/run/wireguard/$WG_IF$i.sock" || return 1
  done
  for i in 1 2; do
    o=$((3 - i))
    timeout 10 ip netns exec "$E2E-h$i" wg set "$WG_IF$i" listen-port "5182$i" private-key "$d/k$i" \
      peer "$(cat "$d/p$o")" endpoint "$(host_ip "$o"):5182$o" allowed-ips "100.64.2.$o/32" \
      || { fail "wggo: wg set $WG_IF$i failed"; return 1; }
    ip -n "$E2E-h$i" addr add "100.64.2.$i/24" dev "$WG_IF$i"
    ip -n "$E2E-h$i" link set "$WG_IF$i" mtu $PEER_MTU up
  done
  P_CLI[wggo]=$E2E-h1; P_SRV[wggo]=$E2E-h2; P_DST[wggo]=100.64.2.2; P_DAEMONS[wggo]="${pids[*]}"
  P_NOTE[wggo]="wireguard-go $(dpkg-query -W -f='${Version}' wireguard-go 2>/dev/null), tun mtu $PEER_MTU, ChaCha20-Poly1305"
}

# setup_nebula: the same for path nebula
setup_nebula() {
  local d=$WORK/nebula i pids=() lh shm
  mkdir -p "$d"
  ( umask 077
    timeout 30 nebula-cert ca -name "$E2E-bench-ca" -duration 24h -out-crt "$d/ca.crt" -out-key "$d/ca.key" || exit 1
    for i in 1 2; do
      timeout 30 nebula-cert sign -ca-crt "$d/ca.crt" -ca-key "$d/ca.key" -name "h$i" \
        -ip "100.64.5.$i/24" -out-crt "$d/h$i.crt" -out-key "$d/h$i.key" || exit 1
    done ) >>"$WORK/nebula-cert.log" 2>&1 || { fail "nebula: nebula-cert failed (log $WORK/nebula-cert.log)"; return 1; }
  for i in 1 2; do
    if [ "$i" = 1 ]; then
      lh=$'  am_lighthouse: true\n  interval: 60\n  hosts: []'
      shm='static_host_map: {}'
    else
      lh=$'  am_lighthouse: false\n  interval: 60\n  hosts:\n    - "100.64.5.1"'
      shm=$'static_host_map:\n  "100.64.5.1": ["'"$(host_ip 1)"$':4242"]'
    fi
    cat >"$d/h$i.yml" <<EOF
pki:
  ca: $d/ca.crt
  cert: $d/h$i.crt
  key: $d/h$i.key
$shm
lighthouse:
$lh
listen:
  host: 0.0.0.0
  port: 4242
punchy:
  punch: false
relay:
  am_relay: false
  use_relays: false
cipher: aes
tun:
  disabled: false
  dev: $NB_IF$i
  drop_local_broadcast: false
  drop_multicast: false
  tx_queue: 500
  mtu: $PEER_MTU
logging:
  level: info
  format: text
firewall:
  outbound:
    - port: any
      proto: any
      host: any
  inbound:
    - port: any
      proto: any
      host: any
EOF
  done
  for i in 1 2; do
    peer_start "nebula$i" "$E2E-h$i" nebula -config "$d/h$i.yml"
    pids+=("$PEER_PID")
    # the lighthouse must be listening before the other host's first handshake
    [ "$i" = 1 ] && { wait_for 10 "nebula lighthouse tun $NB_IF$i" ip -n "$E2E-h1" link show "${NB_IF}1" || return 1; }
  done
  P_CLI[nebula]=$E2E-h1; P_SRV[nebula]=$E2E-h2; P_DST[nebula]=100.64.5.2; P_DAEMONS[nebula]="${pids[*]}"
  P_NOTE[nebula]="nebula $(dpkg-query -W -f='${Version}' nebula 2>/dev/null), tun mtu $PEER_MTU, AES-256-GCM, h1 = lighthouse"
}
