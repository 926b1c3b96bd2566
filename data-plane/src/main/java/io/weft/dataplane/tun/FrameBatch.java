package io.weft.dataplane.tun;

/**
 * A fixed set of reusable frame buffers, read from or written to a TAP in one go. Allocated
 * once per thread and reused for every batch: bounded memory, no allocation per frame. Each
 * frame starts at offset 0 of its slot (with the virtio_net_hdr first when the TAP uses one).
 */
public final class FrameBatch {
    private final byte[][] slots;
    private final int[] lengths;
    private final int slotSize;
    private int count;

    public FrameBatch(int capacity, int slotSize) {
        this.slots = new byte[capacity][slotSize];
        this.lengths = new int[capacity];
        this.slotSize = slotSize;
    }

    public int capacity() {
        return slots.length;
    }

    public int slotSize() {
        return slotSize;
    }

    public int count() {
        return count;
    }

    public boolean isFull() {
        return count == slots.length;
    }

    public void clear() {
        count = 0;
    }

    public byte[] buffer(int i) {
        return slots[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public void setLength(int i, int length) {
        lengths[i] = length;
    }

    /** Claims the next slot; the caller fills {@link #buffer(int)} and sets its length. */
    public int add() {
        if (count == slots.length) {
            return -1;
        }
        lengths[count] = 0;
        return count++;
    }

    /** Copies a frame into the next slot; false when the batch is full or the frame too large. */
    public boolean add(byte[] src, int off, int len) {
        if (count == slots.length || len > slotSize) {
            return false;
        }
        System.arraycopy(src, off, slots[count], 0, len);
        lengths[count++] = len;
        return true;
    }
}
