#!/usr/bin/env bash
# Weft end-to-end scenarios for encryption (issue 4). Needs root, iproute2, java, curl, jq, socat,
# tcpdump, python3. Builds nothing: run `mvn -B -pl control-plane,data-plane -am install -DskipTests` first.
#
#   h1, h2: encrypted with the network password "e2e-secret", sessions re-keyed every 20 MB
#   h3:     started with a wrong password, then with encryption off
#
# 1. a marker string sent between containers never appears in a capture of the underlay, and the
#    connection says encrypted, session established;
# 2. captured datagrams replayed onto the underlay are dropped and counted; traffic goes on;
# 3. a long transfer spanning several re-keys arrives intact;
# 4. a host with the wrong password cannot exchange a frame with the others, and both say why;
#    with encryption off it cannot either, and both say why; a host removed from the control
#    plane loses its sessions within seconds.
# Usage: e2e/crypto.sh [scenario numbers...]
E2E=${E2E:-we2ec}
source "$(dirname "$0")/lib.sh"
e2e_begin "ip jq curl socat java ping python3 tcpdump" "iproute2 jq curl socat iputils-ping python3 tcpdump"
SCENARIOS=${*:-"1 2 3 4"}
log "work dir $WORK; scenarios: $SCENARIOS"

PASSWORD=e2e-secret
REKEY_BYTES=10000000
build_underlay 3
start_control_plane
create_network blue 100.64.1.0/24
start_data_plane 1 WEFT_PASSWORD=$PASSWORD WEFT_REKEY_AFTER_BYTES=$REKEY_BYTES
start_data_plane 2 WEFT_PASSWORD=$PASSWORD WEFT_REKEY_AFTER_BYTES=$REKEY_BYTES
IP1=$(attach 1 c1 blue)
IP2=$(attach 2 c2 blue)
log "c1=$IP1 (h1) c2=$IP2 (h2)"

connection() { # HOST PEER -> that connection's status as JSON
  weft "$1" status | jq -c --arg p "$2" '.connections[] | select(.peer == $p)'
}
session_up() { connection "$1" "$2" | jq -e '.encrypted == true and .sessionEstablished == true' >/dev/null; }
refusal_matches() { # HOST PEER REGEX
  connection "$1" "$2" | jq -e --arg r "$3" '(.refusal // "") | test($r)' >/dev/null
}

# transfer BYTES: random data c1 -> c2 over TCP, checked by sha256
transfer() {
  head -c "$1" /dev/urandom >"$WORK/blob"
  local want got
  want=$(sha256sum <"$WORK/blob" | cut -d' ' -f1)
  in_c c2 timeout 120 socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$WORK/blob.out",creat,trunc &
  local rx=$!
  sleep 0.5
  in_c c1 timeout 120 socat -u OPEN:"$WORK/blob" TCP:"$IP2":5001,retry=10,interval=0.2 || { fail "transfer send"; return 1; }
  wait $rx || { fail "transfer receive"; return 1; }
  got=$(sha256sum <"$WORK/blob.out" | cut -d' ' -f1)
  [ "$want" = "$got" ] || { fail "transfer of $1 bytes: checksum mismatch"; return 1; }
}

scenario_1() {
  log "scenario 1: a marker sent between containers never appears on the underlay"
  wait_for 30 "c1 -> c2 ping" can_ping c1 "$IP2" || return 1
  wait_for 10 "h1's session with h2" session_up 1 h2 || return 1
  session_up 2 h1 || { fail "h2 has no encrypted session with h1"; return 1; }
  local marker="WEFT-MARKER-$RANDOM$RANDOM-SECRET"
  # Captured on h1's underlay port. UDP GSO would hand tcpdump 64 KB "super-datagrams" that cannot be
  # replayed as they were sent; one segment per packet makes the kernel cut them before the capture.
  ip -n "$E2E-h1" link set eth0 gso_max_segs 1
  ip netns exec "$E2E-h1" timeout 60 tcpdump -i eth0 -U -s 0 -w "$WORK/underlay.pcap" udp port 6783 >/dev/null 2>&1 &
  local cap=$!
  sleep 1
  in_c c2 timeout 30 socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$WORK/marker.out",creat,trunc &
  local rx=$!
  sleep 0.5
  for i in $(seq 1 2000); do echo "$marker $i"; done | in_c c1 timeout 30 socat -u - TCP:"$IP2":5002,retry=10,interval=0.2 \
    || { fail "marker send"; kill $cap; return 1; }
  wait $rx || { fail "marker receive"; kill $cap; return 1; }
  in_c c1 ping -c 3 -p "$(printf '%s' WEFTPING | od -An -tx1 | tr -d ' \n')" -W 2 "$IP2" >/dev/null || { fail "ping"; kill $cap; return 1; }
  sleep 1
  kill -INT $cap 2>/dev/null
  wait $cap 2>/dev/null
  ip -n "$E2E-h1" link set eth0 gso_max_segs 65535
  [ "$(grep -c "$marker" "$WORK/marker.out")" = 2000 ] || { fail "the marker did not arrive 2000 times in c2"; return 1; }
  local packets
  packets=$(tcpdump -r "$WORK/underlay.pcap" 2>/dev/null | wc -l)
  [ "$packets" -ge 10 ] || { fail "capture holds only $packets datagrams: nothing to check"; return 1; }
  if grep -a -q -e "$marker" -e WEFTPING "$WORK/underlay.pcap"; then
    fail "plaintext on the underlay: the marker is in the capture"; return 1
  fi
  pass "scenario 1 ($packets datagrams captured, marker and ping pattern absent; sessions encrypted)"
}

# Sends every captured datagram from h1 to h2 again, as raw Ethernet frames on h2's underlay port.
replay_capture() {
  tcpdump -r "$WORK/underlay.pcap" -w "$WORK/replay.pcap" "src host $(host_ip 1) and udp dst port 6783" 2>/dev/null
  ip netns exec "$E2E-ul" python3 - "$WORK/replay.pcap" "$E2E-h2-b" <<'PY'
import socket, struct, sys
data = open(sys.argv[1], 'rb').read()
magic = struct.unpack('<I', data[:4])[0]
end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
linktype = struct.unpack(end + 'I', data[20:24])[0]
assert linktype == 1, "expected an Ethernet capture, got link type %d" % linktype
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[2], 0))
off, n = 24, 0
while off + 16 <= len(data):
    incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
    frame = bytearray(data[off + 16:off + 16 + incl])
    # Captured on the sender before its NIC (here: veth) filled in the UDP checksum; the receiver
    # would drop them as corrupt. 0 = "no checksum" (RFC 768): the payload goes back unchanged.
    ihl = (frame[14] & 0x0F) * 4
    frame[14 + ihl + 6:14 + ihl + 8] = b'\0\0'
    s.send(bytes(frame))
    off += 16 + incl
    n += 1
print(n)
PY
}

scenario_2() {
  log "scenario 2: captured datagrams replayed onto the underlay are dropped and counted; traffic unaffected"
  [ -s "$WORK/underlay.pcap" ] || { fail "needs scenario 1's capture"; return 1; }
  local before after sent tap0 tap1
  before=$(metric 2 'weft_dataplane_(peer_replays_dropped_total|peer_decrypt_failures_total|handshake_drops_total)')
  tap0=$(metric 2 'weft_dataplane_tap_frames_total\{direction="out"')
  sent=$(replay_capture) || { fail "replay"; return 1; }
  [ "${sent:-0}" -ge 10 ] || { fail "replayed only ${sent:-0} datagrams"; return 1; }
  sleep 1
  after=$(metric 2 'weft_dataplane_(peer_replays_dropped_total|peer_decrypt_failures_total|handshake_drops_total)')
  tap1=$(metric 2 'weft_dataplane_tap_frames_total\{direction="out"')
  [ $((after - before)) -ge $((sent * 9 / 10)) ] || { fail "replayed $sent datagrams, only $((after - before)) refusals counted"; return 1; }
  [ $((tap1 - tap0)) -lt $((sent / 10)) ] || { fail "replayed frames reached h2's bridge ($((tap1 - tap0)) frames)"; return 1; }
  transfer 5000000 || return 1
  can_ping c1 "$IP2" || { fail "c1 -> c2 after replay"; return 1; }
  pass "scenario 2 ($sent datagrams replayed, $((after - before)) refused and counted, traffic intact)"
}

scenario_3() {
  log "scenario 3: a long transfer spanning several re-keys arrives intact"
  local r1 r2 t0=$SECONDS
  r1=$(metric 1 'weft_dataplane_peer_rekeys_total')
  transfer 150000000 || return 1
  r2=$(metric 1 'weft_dataplane_peer_rekeys_total')
  [ $((r2 - r1)) -ge 3 ] || { fail "only $((r2 - r1)) re-keys during 150 MB at one every $REKEY_BYTES bytes"; return 1; }
  pass "scenario 3 (150 MB in $((SECONDS - t0)) s across $((r2 - r1)) re-keys, sha256 ok)"
}

scenario_4() {
  log "scenario 4: wrong password / encryption off: no frame crosses, and status says why"
  start_data_plane 3 WEFT_PASSWORD=not-the-password
  local ip3
  ip3=$(attach 3 c3 blue)
  wait_for 30 "h1 says h3 has another password" refusal_matches 1 h3 'different network password' || return 1
  wait_for 30 "h3 says h1 has another password" refusal_matches 3 h1 'different network password' || return 1
  if can_ping c3 "$IP1" || can_ping c1 "$ip3"; then fail "a frame crossed between different passwords"; return 1; fi
  can_ping c1 "$IP2" || { fail "c1 -> c2 while h3 knocks"; return 1; }

  stop_data_plane 3
  start_data_plane 3 WEFT_ENCRYPTION=off
  wait_for 30 "h1 says h3 sends plaintext" refusal_matches 1 h3 'unencrypted' || return 1
  wait_for 30 "h3 says h1 encrypts" refusal_matches 3 h1 'encrypts but this host runs plaintext' || return 1
  if can_ping c3 "$IP1"; then fail "a frame crossed between encrypted and plaintext hosts"; return 1; fi
  [ "$(metric 1 'weft_dataplane_drops_total\{reason="encryption_mismatch"')" -gt 0 ] || { fail "mismatch not counted"; return 1; }

  stop_data_plane 3
  start_data_plane 3 WEFT_PASSWORD=$PASSWORD
  wait_for 30 "c3 -> c1 with the right password" can_ping c3 "$IP1" || return 1
  wait_for 10 "h1's session with h3" session_up 1 h3 || return 1
  admin DELETE /hosts/h3 >/dev/null || { fail "remove h3 at the control plane"; return 1; }
  stop_data_plane 3   # a removed host's daemon would re-register; the point is h1's side
  wait_for 10 "h1 drops its session with the removed h3" bash -c \
    "! (ip netns exec $E2E-h1 curl -sf http://127.0.0.1:6784/q/metrics | grep -q 'weft_dataplane_peer_session_established{peer=\"h3\"} 1')" || return 1
  pass "scenario 4"
}

run_scenarios "encryption scenarios" "$SCENARIOS"
