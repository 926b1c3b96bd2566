package io.weft.dataplane.buf;

/**
 * A fixed set of reusable byte[] slots with a length each, filled and drained in one go.
 * Allocated once per thread and reused for every batch: bounded memory, no allocation per packet.
 * {@link io.weft.dataplane.tun.FrameBatch} (TAP frames) and
 * {@link io.weft.dataplane.conn.DatagramBatch} (UDP datagrams with endpoints) build on it.
 */
public abstract class SlotBatch {
    protected final byte[][] slots;
    protected final int[] lengths;
    protected final int slotSize;
    protected int count;

    protected SlotBatch(int capacity, int slotSize) {
        this(capacity, slotSize, slotSize);
    }

    /** Heap slots of {@code heapSize} bytes for a batch whose items may be up to {@code slotSize} long. */
    protected SlotBatch(int capacity, int heapSize, int slotSize) {
        this.slots = new byte[capacity][heapSize];
        this.lengths = new int[capacity];
        this.slotSize = slotSize;
    }

    public final int capacity() {
        return slots.length;
    }

    public final int slotSize() {
        return slotSize;
    }

    public final int count() {
        return count;
    }

    public final boolean isFull() {
        return count == slots.length;
    }

    public final boolean isEmpty() {
        return count == 0;
    }

    public final byte[] buffer(int i) {
        return slots[i];
    }

    public final int length(int i) {
        return lengths[i];
    }

    /** Claims the next slot, or -1 when full; the caller fills {@link #buffer(int)}. */
    public int add() {
        if (count == slots.length) {
            return -1;
        }
        lengths[count] = 0;
        return count++;
    }

    public void clear() {
        count = 0;
    }
}
