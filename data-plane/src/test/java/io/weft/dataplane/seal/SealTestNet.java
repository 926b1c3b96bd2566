package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory hosts for sealing tests: one SessionManager per host, wired through a handshake
 * transport that queues datagrams until {@link #pump} delivers them (so tests choose what arrives,
 * when, twice or never), one shared fake clock, no worker threads.
 */
final class SealTestNet {
    static final SealConfig CONFIG = SealConfig.DEFAULTS;
    final FakeClock clock = new FakeClock();
    final Map<Integer, Host> hosts = new HashMap<>();
    final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    /** Every handshake datagram ever sent, for replay tests: {to, bytes}. */
    final List<Object[]> sent = new ArrayList<>();
    final SealConfig config;

    SealTestNet() {
        this(CONFIG);
    }

    SealTestNet(SealConfig config) {
        this.config = config;
    }

    final class Host implements HandshakeTransport {
        final int id;
        final LocalIdentity identity = LocalIdentity.generate();
        final SessionManager manager;
        final InetSocketAddress address;
        int established;

        Host(int id, NetworkPassword password) {
            this.id = id;
            this.address = address(id);
            this.manager = new SessionManager(id, identity, password, config, clock, this);
        }

        @Override
        public void send(int peerId, byte[] datagram, int offset, int length) {
            byte[] copy = Arrays.copyOfRange(datagram, offset, offset + length);
            wire.add(new Object[] {peerId, copy, address});
            sent.add(new Object[] {peerId, copy});
        }

        @Override
        public void sessionEstablished(int peerId) {
            established++;
        }
    }

    static InetSocketAddress address(int id) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) id}), 6784);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hosts 1..n with one password, each knowing all the others' keys. */
    static SealTestNet meshOf(int n, NetworkPassword password) {
        SealTestNet net = new SealTestNet();
        for (int id = 1; id <= n; id++) {
            net.add(id, password);
        }
        net.meshAll();
        return net;
    }

    Host host(int id) {
        return hosts.get(id);
    }

    Host add(int id, NetworkPassword password) {
        Host h = new Host(id, password);
        hosts.put(id, h);
        return h;
    }

    /** Every host learns every other host's key (what the control plane distributes). */
    void meshAll() {
        for (Host a : hosts.values()) {
            for (Host b : hosts.values()) {
                if (a != b) {
                    a.manager.setPeer(b.id, b.identity.publicKey());
                }
            }
        }
    }

    /** Delivers handshake datagrams and runs every host's worker step until quiet (bounded). */
    void pump() {
        for (int round = 0; round < 50; round++) {
            boolean busy = !wire.isEmpty();
            deliverWire();
            int processed = 0;
            for (Host h : hosts.values()) {
                processed += h.manager.runHandshakeWork();
            }
            if (!busy && processed == 0 && wire.isEmpty()) {
                return;
            }
        }
        throw new AssertionError("handshakes did not settle in 50 rounds");
    }

    /** Delivers what is on the wire now (not what that provokes). */
    void deliverWire() {
        for (int n = wire.size(); n > 0; n--) {
            Object[] d = wire.poll();
            Host to = hosts.get((Integer) d[0]);
            if (to != null) {
                byte[] b = (byte[]) d[1];
                to.manager.onHandshake(io.weft.dataplane.wire.Bytes.i32(b, 8), b, 0, b.length, (InetSocketAddress) d[2]);
            }
        }
    }

    /** Lets {@code from} ask for a session with {@code to} and runs handshakes until both can seal. */
    void connect(Host from, Host to) {
        from.manager.seal(to.id, frame(from, to, "hello"), 0, 5);
        pump();
        byte[] d = frame(from, to, "confirm");
        int len = from.manager.seal(to.id, d, 0, 7);
        assertTrue(len > 0, "initiator has a session after the handshake");
        assertTrue(to.manager.open(from.id, d, 0, len) == 7, "responder opens the confirming datagram");
    }

    /** A buffer with a FRAME header and {@code text} as plaintext, room for prefix and tag. */
    static byte[] frame(Host from, Host to, String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buf = new byte[Header.LENGTH + HandshakeWire.PREFIX_LENGTH + t.length + AeadEngine.TAG_LENGTH];
        new Header().wrap(buf, 0).write(PacketType.FRAME, 0, 0, 1, from.id, to.id);
        System.arraycopy(t, 0, buf, Header.LENGTH + HandshakeWire.PREFIX_LENGTH, t.length);
        return buf;
    }

    static String plaintext(byte[] buf, int length) {
        return new String(buf, Header.LENGTH + HandshakeWire.PREFIX_LENGTH, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Seals {@code text} from {@code from} to {@code to}; the sealed datagram, or null when seal refused. */
    static byte[] seal(Host from, Host to, String text) {
        byte[] buf = frame(from, to, text);
        int len = from.manager.seal(to.id, buf, 0, text.length());
        return len < 0 ? null : Arrays.copyOf(buf, len);
    }

    /** Opens a copy of {@code datagram} at {@code to}; the plaintext, or null when dropped. */
    static String open(Host from, Host to, byte[] datagram) {
        byte[] copy = datagram.clone();
        int len = to.manager.open(from.id, copy, 0, copy.length);
        return len < 0 ? null : plaintext(copy, len);
    }
}
