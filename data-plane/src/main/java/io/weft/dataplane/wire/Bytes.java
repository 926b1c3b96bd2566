package io.weft.dataplane.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big- and little-endian access to byte arrays through VarHandles: the JIT turns each into one
 * (byte-swapped) load or store, with a single bounds check, instead of four byte operations.
 * Network headers are big-endian; virtio_net_hdr is little-endian on x86.
 */
public final class Bytes {
    private static final VarHandle BE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return ((short) BE_SHORT.get(b, off)) & 0xFFFF;
    }

    public static void putU16(byte[] b, int off, int v) {
        BE_SHORT.set(b, off, (short) v);
    }

    public static int i32(byte[] b, int off) {
        return (int) BE_INT.get(b, off);
    }

    public static void putI32(byte[] b, int off, int v) {
        BE_INT.set(b, off, v);
    }

    public static long i64(byte[] b, int off) {
        return (long) BE_LONG.get(b, off);
    }

    /** A little-endian (on x86: native, no byte swap) 64-bit load. */
    public static long i64le(byte[] b, int off) {
        return (long) LE_LONG.get(b, off);
    }

    public static void putI64(byte[] b, int off, long v) {
        BE_LONG.set(b, off, v);
    }

    public static int u16le(byte[] b, int off) {
        return ((short) LE_SHORT.get(b, off)) & 0xFFFF;
    }

    public static void putU16le(byte[] b, int off, int v) {
        LE_SHORT.set(b, off, (short) v);
    }

    /** A 48-bit MAC address as a long (big-endian), the form the MAC table keys on. */
    public static long mac(byte[] b, int off) {
        return ((long) u16(b, off) << 32) | (i32(b, off + 2) & 0xFFFFFFFFL);
    }

    public static void putMac(byte[] b, int off, long mac) {
        putU16(b, off, (int) (mac >>> 32));
        putI32(b, off + 2, (int) mac);
    }
}
