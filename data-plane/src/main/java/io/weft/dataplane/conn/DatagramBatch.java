package io.weft.dataplane.conn;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.weft.dataplane.buf.SlotBatch;

/**
 * A fixed set of reusable datagram buffers with their remote endpoints: what a {@link Transport}
 * sends or receives in one go. Allocated once per thread, reused for every batch (bounded memory,
 * no allocation per datagram). Each datagram sits at {@link #offset} of its slot, so a sender can
 * leave headroom in front (e.g. for a relay wrapper) and fill in the start later.
 * Endpoints are long-lived objects (one per peer), never created per datagram by the device.
 *
 * <p>A datagram may end with an external tail: bytes in direct memory that stay where they are
 * (e.g. a segment's payload inside the super-frame just read from the TAP) and that a sender
 * gathers from there (an iovec of its own) instead of copying them into the slot first. The
 * datagram is then {@link #length} slot bytes followed by {@link #tailLength} tail bytes; the tail
 * memory must stay unchanged until the batch is sent.
 */
public final class DatagramBatch extends SlotBatch {
    private final int[] offsets;
    private final InetSocketAddress[] endpoints;
    private final boolean[] runEnds;
    private final ByteBuffer[] tails;
    private final int[] tailOffsets;
    private final int[] tailLengths;

    public DatagramBatch(int capacity, int slotSize) {
        super(capacity, slotSize);
        this.offsets = new int[capacity];
        this.endpoints = new InetSocketAddress[capacity];
        this.runEnds = new boolean[capacity];
        this.tails = new ByteBuffer[capacity];
        this.tailOffsets = new int[capacity];
        this.tailLengths = new int[capacity];
    }

    /** Forgets all datagrams (and drops endpoint references so none outlive their peer). */
    @Override
    public void clear() {
        for (int i = 0; i < count; i++) {
            endpoints[i] = null;
            tails[i] = null;
        }
        count = 0;
    }

    /** Claims the next slot, or -1 when full; the caller fills it and calls {@link #set}. */
    @Override
    public int add() {
        if (count == slots.length) {
            return -1;
        }
        offsets[count] = 0;
        lengths[count] = 0;
        endpoints[count] = null;
        runEnds[count] = false;
        tails[count] = null;
        tailLengths[count] = 0;
        return count++;
    }

    /** Gives back the slot claimed last (e.g. the packet was dropped while being built). */
    public void removeLast() {
        if (count > 0) {
            endpoints[--count] = null;
            tails[count] = null;
        }
    }

    public void set(int i, int offset, int length, InetSocketAddress endpoint) {
        offsets[i] = offset;
        lengths[i] = length;
        endpoints[i] = endpoint;
    }

    /**
     * Marks datagram {@code i} as the last of a group that must not share a UDP GSO send with the
     * datagrams after it (e.g. the last segment of a TCP super-frame: one super-frame per GSO send
     * is one GRO read and one TAP write on the receiving host).
     */
    public void endRun(int i) {
        runEnds[i] = true;
    }

    public boolean endsRun(int i) {
        return runEnds[i];
    }

    /**
     * Appends {@code length} bytes of the direct buffer {@code tail} at {@code offset} to datagram
     * {@code i} (after its slot bytes), without copying them.
     */
    public void setTail(int i, ByteBuffer tail, int offset, int length) {
        tails[i] = tail;
        tailOffsets[i] = offset;
        tailLengths[i] = length;
    }

    /** The direct buffer holding datagram {@code i}'s tail, or null when it has none. */
    public ByteBuffer tail(int i) {
        return tails[i];
    }

    public int tailOffset(int i) {
        return tailOffsets[i];
    }

    public int tailLength(int i) {
        return tails[i] == null ? 0 : tailLengths[i];
    }

    /** The whole datagram's length: slot bytes and tail. */
    public int totalLength(int i) {
        return lengths[i] + tailLength(i);
    }

    /** Copies datagram {@code i} (slot bytes, then tail) to {@code dst}; returns its length. */
    public int copyTo(int i, byte[] dst, int dstOff) {
        int n = lengths[i];
        System.arraycopy(slots[i], offsets[i], dst, dstOff, n);
        ByteBuffer t = tails[i];
        if (t != null) {
            t.get(tailOffsets[i], dst, dstOff + n, tailLengths[i]);
            n += tailLengths[i];
        }
        return n;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public InetSocketAddress endpoint(int i) {
        return endpoints[i];
    }
}
