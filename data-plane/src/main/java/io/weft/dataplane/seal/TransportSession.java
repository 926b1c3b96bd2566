package io.weft.dataplane.seal;

import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.Header;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Noise transport session with one peer: a key per direction, the send counter (taken
 * atomically: several threads seal), the receive replay window and the two indices that name it on
 * the wire. Immutable apart from the counters; the manager decides which session is current.
 */
final class TransportSession {
    final int peerId;
    /** Chosen by us: peers put it in the prefix of what they send us. */
    final int localIndex;
    /** Chosen by the peer: we put it in the prefix of what we send. */
    final int remoteIndex;
    final boolean initiator;
    final long createdNanos;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final AtomicLong sendCounter = new AtomicLong();
    /** A LongAdder: several threads seal, and the total is only read now and then. */
    private final LongAdder sentBytes = new LongAdder();
    private final ReplayWindow window = new ReplayWindow();

    TransportSession(int peerId, int localIndex, int remoteIndex, boolean initiator, long createdNanos,
            byte[] sendKey, byte[] receiveKey) {
        this.peerId = peerId;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
        this.createdNanos = createdNanos;
        this.sendKey = AeadEngine.key(sendKey);
        this.receiveKey = AeadEngine.key(receiveKey);
    }

    long sent() {
        return sendCounter.get();
    }

    long sentBytes() {
        return sentBytes.sum();
    }

    /**
     * Seals in place (see {@link HandshakeWire} for the layout).
     *
     * @return the datagram length, or -1 when this key may not seal any more (message limit) or the
     *     buffer has no room for the tag
     */
    int seal(byte[] buf, int off, int plaintextLength, long rejectAfterMessages) {
        long counter = sendCounter.getAndIncrement();
        if (counter >= rejectAfterMessages) {
            return -1;
        }
        int prefix = off + Header.LENGTH;
        Bytes.putI32(buf, prefix, remoteIndex);
        Bytes.putI64(buf, prefix + HandshakeWire.INDEX, counter);
        int text = prefix + HandshakeWire.PREFIX_LENGTH;
        int sealed = AeadEngine.current().seal(sendKey, counter, buf, off, Header.LENGTH, text, plaintextLength);
        if (sealed < 0) {
            return -1;
        }
        sentBytes.add(plaintextLength);
        return Header.LENGTH + HandshakeWire.PREFIX_LENGTH + sealed;
    }

    /** Result of {@link #open}: below zero, why it was dropped. */
    static final int REPLAYED = -1;
    static final int FORGED = -2;

    /** Opens in place; the plaintext length, {@link #REPLAYED} or {@link #FORGED}. */
    int open(byte[] buf, int off, int length, long counter, long rejectAfterMessages) {
        if (counter >= rejectAfterMessages || !window.mayAccept(counter)) {
            return REPLAYED;
        }
        int text = off + Header.LENGTH + HandshakeWire.PREFIX_LENGTH;
        int plain = AeadEngine.current().open(receiveKey, counter, buf, off, Header.LENGTH, text,
                length - Header.LENGTH - HandshakeWire.PREFIX_LENGTH);
        if (plain < 0) {
            return FORGED;
        }
        return window.accept(counter) ? plain : REPLAYED;
    }
}
