package io.weft.dataplane.buf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The native address of a direct buffer, for syscalls that take raw pointers. Resolving it is a
 * JNI call, and a thread's buffers are long-lived (a TAP reader's batch, a sender's memory), so the
 * last one is remembered: one lookup per buffer, not per packet. One instance per thread and use.
 */
public final class DirectAddress {
    private ByteBuffer last;
    private long address;

    public long of(ByteBuffer direct) {
        if (direct != last) {
            address = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
            last = direct;
        }
        return address;
    }
}
