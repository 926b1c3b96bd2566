package io.weft.dataplane.tun;

import io.weft.dataplane.buf.SlotBatch;

/**
 * A fixed set of reusable frame buffers, read from or written to a TAP in one go. Allocated
 * once per thread and reused for every batch: bounded memory, no allocation per frame. Each
 * frame starts at offset 0 of its slot (with the virtio_net_hdr first when the TAP uses one).
 */
public final class FrameBatch extends SlotBatch {
    public FrameBatch(int capacity, int slotSize) {
        super(capacity, slotSize);
    }

    public void setLength(int i, int length) {
        lengths[i] = length;
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
