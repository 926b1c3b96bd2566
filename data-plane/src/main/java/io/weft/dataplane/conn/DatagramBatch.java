package io.weft.dataplane.conn;

import java.net.InetSocketAddress;

import io.weft.dataplane.buf.SlotBatch;

/**
 * A fixed set of reusable datagram buffers with their remote endpoints: what a {@link Transport}
 * sends or receives in one go. Allocated once per thread, reused for every batch (bounded memory,
 * no allocation per datagram). Each datagram sits at {@link #offset} of its slot, so a sender can
 * leave headroom in front (e.g. for a relay wrapper) and fill in the start later.
 * Endpoints are long-lived objects (one per peer), never created per datagram by the device.
 */
public final class DatagramBatch extends SlotBatch {
    private final int[] offsets;
    private final InetSocketAddress[] endpoints;
    private final boolean[] runEnds;

    public DatagramBatch(int capacity, int slotSize) {
        super(capacity, slotSize);
        this.offsets = new int[capacity];
        this.endpoints = new InetSocketAddress[capacity];
        this.runEnds = new boolean[capacity];
    }

    /** Forgets all datagrams (and drops endpoint references so none outlive their peer). */
    @Override
    public void clear() {
        for (int i = 0; i < count; i++) {
            endpoints[i] = null;
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
        return count++;
    }

    /** Gives back the slot claimed last (e.g. the packet was dropped while being built). */
    public void removeLast() {
        if (count > 0) {
            endpoints[--count] = null;
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

    public int offset(int i) {
        return offsets[i];
    }

    public InetSocketAddress endpoint(int i) {
        return endpoints[i];
    }
}
