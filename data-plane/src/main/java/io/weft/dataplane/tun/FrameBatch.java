package io.weft.dataplane.tun;

import io.weft.dataplane.buf.SlotBatch;
import java.nio.ByteBuffer;

/**
 * A fixed set of reusable frame buffers, read from or written to a TAP in one go. Allocated
 * once per thread and reused for every batch: bounded memory, no allocation per frame. Each
 * frame starts at offset 0 of its slot (with the virtio_net_hdr first when the TAP uses one).
 */
public final class FrameBatch extends SlotBatch {
    /**
     * Of a frame read into direct memory, the heap slot holds the whole frame up to this length
     * (ordinary MTU-sized frames: everything works on them as on any heap frame)...
     */
    public static final int WHOLE_MAX = 2048;
    /** ...and of longer ones (TSO super-frames) the first bytes: virtio_net_hdr and all headers. */
    public static final int HEAD = 256;

    /**
     * Direct backing: frame i is complete at i * slotSize here — as the TAP delivered it (reads),
     * or as it is written to the TAP (a {@link GroCoalescer} stages headers and first segments in
     * the heap slots and completes the frames here in {@link GroCoalescer#finish}).
     */
    private final ByteBuffer direct;
    private final boolean[] partial;

    public FrameBatch(int capacity, int slotSize) {
        this(capacity, slotSize, false);
    }

    private FrameBatch(int capacity, int slotSize, boolean direct) {
        super(capacity, direct ? WHOLE_MAX : slotSize, slotSize);
        this.direct = direct ? ByteBuffer.allocateDirect(capacity * slotSize) : null;
        this.partial = new boolean[capacity];
    }

    /**
     * A batch a TAP reads into direct memory with no copy to the heap but the headers, so a
     * super-frame's payload can go from the TAP's read straight into the UDP send (see
     * {@link io.weft.dataplane.conn.DatagramBatch#setTail}).
     */
    public static FrameBatch direct(int capacity, int slotSize) {
        return new FrameBatch(capacity, slotSize, true);
    }

    /** The direct memory frames are read into, or null for a heap-only batch. */
    public ByteBuffer direct() {
        return direct;
    }

    /** Where frame {@code i} starts in {@link #direct()}. */
    public int directOffset(int i) {
        return i * slotSize;
    }

    /**
     * Whether the heap slot of frame {@code i} holds only its first {@link #HEAD} bytes (the
     * rest is in {@link #direct()} only).
     */
    public boolean partial(int i) {
        return partial[i];
    }

    public void setLength(int i, int length) {
        lengths[i] = length;
        partial[i] = false;
    }

    /** Bytes a heap slot holds (the whole slot size, or {@link #WHOLE_MAX} with direct backing). */
    public int heapSlotSize() {
        return slots.length == 0 ? 0 : slots[0].length;
    }

    /** A copy of frame {@code i} (for tests and rare paths: allocates). */
    public byte[] copyOf(int i) {
        byte[] f = new byte[lengths[i]];
        if (direct != null) {
            direct.get(directOffset(i), f, 0, f.length);
        } else {
            System.arraycopy(slots[i], 0, f, 0, f.length);
        }
        return f;
    }

    /** Frame {@code i} of {@code length} bytes is in {@link #direct()}: mirrors what the heap slot needs. */
    public void mirror(int i, int length) {
        lengths[i] = length;
        boolean whole = length <= WHOLE_MAX;
        direct.get(directOffset(i), slots[i], 0, whole ? length : HEAD);
        partial[i] = !whole;
    }

    /** Copies a frame into the next slot; false when the batch is full or the frame too large. */
    public boolean add(byte[] src, int off, int len) {
        if (count == slots.length || len > slotSize) {
            return false;
        }
        if (direct != null) {
            direct.put(directOffset(count), src, off, len);
            mirror(count++, len);
            return true;
        }
        System.arraycopy(src, off, slots[count], 0, len);
        partial[count] = false;
        lengths[count++] = len;
        return true;
    }
}
