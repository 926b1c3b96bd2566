package io.weft.dataplane.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderTest {
    private final Header h = new Header();

    private byte[] frame(int isolationId, int src, int dst, int payload) {
        byte[] b = new byte[Header.LENGTH + payload];
        h.wrap(b, 0).write(PacketType.FRAME, 0, 0, isolationId, src, dst);
        return b;
    }

    @Test
    void roundTripsAllFields() {
        byte[] b = new byte[40];
        h.wrap(b, 3).write(PacketType.RELAY, 0, 7, 0, 0xFFFFFFFE, 42);
        assertEquals(Header.OK, Header.validate(b, 3, Header.LENGTH * 2));
        assertEquals(Header.VERSION, h.version());
        assertEquals(PacketType.RELAY, h.type());
        assertEquals(7, h.ttl());
        assertEquals(0xFFFFFFFE, h.sourcePeer(), "uint32 peer ids survive in an int");
        assertEquals(42, h.destinationPeer());
        h.ttl(6).destinationPeer(43);
        assertEquals(6, h.ttl());
        assertEquals(43, h.destinationPeer());

        byte[] f = frame(0xABCDEF, 1, 2, 0);
        assertEquals(Header.OK, Header.validate(f, 0, f.length));
        assertEquals(0xABCDEF, h.wrap(f, 0).isolationId());
    }

    @Test
    void rejectsWithReasons() {
        byte[] f = frame(5, 1, 2, 14);
        assertEquals(DropReason.TRUNCATED.ordinal(), Header.validate(f, 0, Header.LENGTH - 1));
        assertEquals(DropReason.TRUNCATED.ordinal(), Header.validate(f, 4, f.length), "length beyond the array");

        byte[] v = f.clone();
        v[0] = 2;
        assertEquals(DropReason.BAD_VERSION.ordinal(), Header.validate(v, 0, v.length));

        byte[] t = f.clone();
        t[1] = (byte) 9; // beyond the highest known type
        assertEquals(DropReason.BAD_TYPE.ordinal(), Header.validate(t, 0, t.length));
        t[1] = 0;
        assertEquals(DropReason.BAD_TYPE.ordinal(), Header.validate(t, 0, t.length));

        byte[] fl = f.clone();
        fl[2] = 0x10;
        assertEquals(DropReason.BAD_FLAGS.ordinal(), Header.validate(fl, 0, fl.length));
        fl[2] = (byte) Header.FLAG_CSUM_PARTIAL;
        assertEquals(Header.OK, Header.validate(fl, 0, fl.length), "a frame may say its checksum is partial");
        byte[] hf = new byte[Header.LENGTH + HeartbeatPayload.LENGTH];
        new Header().wrap(hf, 0).write(PacketType.HEARTBEAT, Header.FLAG_CSUM_PARTIAL, 0, 0, 1, 2);
        assertEquals(DropReason.BAD_FLAGS.ordinal(), Header.validate(hf, 0, hf.length), "frame flags only on frames");

        byte[] r = f.clone();
        r[4] = 1;
        assertEquals(DropReason.BAD_RESERVED.ordinal(), Header.validate(r, 0, r.length));

        byte[] zeroNet = frame(0, 1, 2, 14);
        assertEquals(DropReason.BAD_NETWORK_ID.ordinal(), Header.validate(zeroNet, 0, zeroNet.length));

        byte[] hb = new byte[Header.LENGTH + HeartbeatPayload.LENGTH];
        h.wrap(hb, 0).write(PacketType.HEARTBEAT, 0, 0, 0, 1, 2);
        assertEquals(Header.OK, Header.validate(hb, 0, hb.length));
        assertEquals(DropReason.TRUNCATED.ordinal(), Header.validate(hb, 0, hb.length - 1));
        h.write(PacketType.HEARTBEAT, 0, 0, 9, 1, 2);
        assertEquals(DropReason.BAD_NETWORK_ID.ordinal(), Header.validate(hb, 0, hb.length));

        byte[] relay = new byte[Header.LENGTH * 2 - 1];
        h.wrap(relay, 0).write(PacketType.RELAY, 0, 4, 0, 1, 2);
        assertEquals(DropReason.TRUNCATED.ordinal(), Header.validate(relay, 0, relay.length));
    }

    @Test
    void garbageNeverThrows() {
        Random rnd = new Random(1);
        byte[] b = new byte[64];
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            rnd.nextBytes(b);
            if (i % 3 == 0) {
                b[0] = Header.VERSION; // get past the first check often enough to exercise the rest
            }
            int r = Header.validate(b, rnd.nextInt(8), rnd.nextInt(57));
            if (r == Header.OK) {
                ok++;
            } else {
                DropReason.of(r); // a valid reason ordinal
            }
        }
        // Random bytes almost never form a valid header; the point is that nothing threw.
        assertEquals(true, ok < 200);
    }

    @Test
    void heartbeatPayloadAndMacHelpers() {
        byte[] b = new byte[32];
        HeartbeatPayload.write(b, 8, 77L, -5L);
        assertEquals(77L, HeartbeatPayload.sequence(b, 8));
        assertEquals(-5L, HeartbeatPayload.sentNanos(b, 8));
        Bytes.putMac(b, 1, 0x0242646000FFL);
        assertEquals(0x0242646000FFL, Bytes.mac(b, 1));
        assertEquals(0x02, b[1]);
    }

    @Test
    void dropCountersCountByReason() {
        DropCounters c = new DropCounters();
        c.increment(DropReason.TRUNCATED);
        c.increment(DropReason.TRUNCATED.ordinal());
        c.increment(DropReason.BAD_TYPE);
        assertEquals(2, c.get(DropReason.TRUNCATED));
        assertEquals(3, c.total());
        assertEquals(2, c.snapshot().size());
    }

    @Test
    void handshakesAndSealedFlags() {
        byte[] hs = new byte[Header.LENGTH + 1];
        Header h = new Header().wrap(hs, 0).write(PacketType.HANDSHAKE_RESPONSE, 0, 0, 0, 1, 2);
        assertEquals(Header.OK, Header.validate(hs, 0, hs.length));
        assertEquals(DropReason.TRUNCATED.ordinal(), Header.validate(hs, 0, Header.LENGTH), "an empty handshake");
        h.write(PacketType.HANDSHAKE_INIT, 0, 0, 7, 1, 2);
        assertEquals(DropReason.BAD_NETWORK_ID.ordinal(), Header.validate(hs, 0, hs.length));
        h.write(PacketType.HANDSHAKE_INIT, Header.FLAG_SEALED, 0, 0, 1, 2);
        assertEquals(DropReason.BAD_FLAGS.ordinal(), Header.validate(hs, 0, hs.length), "handshakes carry no flags");

        byte[] hb = new byte[Header.LENGTH + HeartbeatPayload.LENGTH + 28];
        new Header().wrap(hb, 0).write(PacketType.HEARTBEAT_ACK, Header.FLAG_SEALED, 0, 0, 1, 2);
        assertEquals(Header.OK, Header.validate(hb, 0, hb.length), "heartbeats may be sealed");
        byte[] f = frame(5, 1, 2, 14);
        f[2] = (byte) (Header.FLAG_SEALED | Header.FLAG_CSUM_PARTIAL);
        assertEquals(Header.OK, Header.validate(f, 0, f.length));
        assertTrue(PacketType.isHandshake(PacketType.HANDSHAKE_INIT) && !PacketType.isHandshake(PacketType.FRAME));
    }
}
