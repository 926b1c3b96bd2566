package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.api.v1.Change;
import io.weft.api.v1.ControlMessage;
import io.weft.api.v1.Delta;
import io.weft.api.v1.DnsRecord;
import io.weft.controlplane.watch.Encoded;

/** Encoded.delta wraps a stored Delta as ControlMessage{delta} byte for byte, whatever its size. */
class EncodedTest {
    /** A delta whose serialised size is at least {@code minBytes}. */
    static Delta delta(long revision, int minBytes) {
        Delta.Builder d = Delta.newBuilder().setRevision(revision);
        int i = 0;
        while (d.build().getSerializedSize() < minBytes) {
            d.addChanges(Change.newBuilder().setDnsAdded(DnsRecord.newBuilder().setName("name-" + i + ".weave.local")
                    .setIp("100.96." + (i / 250 % 250) + "." + (i % 250 + 1)).setRevision(revision)));
            i++;
        }
        return d.build();
    }

    static void assertSameAsControlMessage(Delta delta) {
        Encoded e = Encoded.delta(delta.getRevision(), delta.toByteArray(), 0);
        byte[] expected = ControlMessage.newBuilder().setDelta(delta).build().toByteArray();
        assertArrayEquals(expected, e.bytes, "delta of " + delta.getSerializedSize() + " bytes");
    }

    @Test
    void emptyDelta() {
        assertSameAsControlMessage(Delta.getDefaultInstance());
    }

    @Test
    void smallDelta() {
        Delta d = delta(7, 1);
        assertTrue(d.getSerializedSize() < 128);
        assertSameAsControlMessage(d);
    }

    /** A delta of exactly {@code size} serialised bytes (one change with a long name). */
    static Delta deltaOfSize(int size) {
        for (int len = Math.max(0, size - 40); len <= size; len++) {
            Delta d = Delta.newBuilder().setRevision(size)
                    .addChanges(Change.newBuilder().setDnsAdded(DnsRecord.newBuilder().setName("n".repeat(len)).setIp("100.96.0.1")))
                    .build();
            if (d.getSerializedSize() == size) {
                return d;
            }
        }
        throw new AssertionError("no delta of exactly " + size + " bytes");
    }

    /** Sizes on both sides of each varint length boundary: 1, 2, 3 and 4 bytes of length prefix. */
    @ParameterizedTest
    @ValueSource(ints = { 100, 127, 128, 200, 16_383, 16_384, 17_000, 70_000, 2_097_151, 2_097_152, 2_200_000 })
    void deltasAroundVarintBoundaries(int size) {
        Delta d = deltaOfSize(size);
        assertEquals(size, d.getSerializedSize());
        assertSameAsControlMessage(d);
    }

    @Test
    void largeDeltaOver16KiB() {
        Delta d = delta(123_456_789L, 20_000);
        assertTrue(d.getSerializedSize() > 16 * 1024);
        assertSameAsControlMessage(d);
    }

    @Test
    void decodesBackToTheDelta() throws Exception {
        Delta d = delta(42, 30_000);
        Encoded e = Encoded.delta(42, d.toByteArray(), 1234);
        ControlMessage m = e.decode();
        assertTrue(m.hasDelta());
        assertEquals(d, m.getDelta());
        assertEquals(42, e.revision);
        assertEquals(1234, e.committedAtMillis);
    }

    @Test
    void ofSerialisesTheMessage() {
        ControlMessage m = ControlMessage.newBuilder().setDelta(delta(9, 500)).build();
        assertArrayEquals(m.toByteArray(), Encoded.of(m, 9).bytes);
        assertEquals(9, Encoded.of(m, 9).revision);
    }
}
