package io.weft.dataplane.tun;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the TAP needs, through JNA direct mapping (about twice as fast as interface
 * mapping). Buffers are passed as raw addresses ({@code long}) of direct memory allocated once, so
 * no call copies or pins a Java array. errno is read with {@link Native#getLastError()} rather than
 * {@code LastErrorException}, so EAGAIN on a non-blocking read costs no exception.
 * x86-64 Linux numbers.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final short POLLIN = 0x1;

    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;

    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;

    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    /** UDP segmentation offload (Linux 6.2+); the kernel takes the two only together. */
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int open(String path, int flags);

    /** ioctl's third argument is an address or a value (TUNSETOFFLOAD takes its flags by value). */
    static native int ioctl(int fd, long request, long arg);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int poll(long fds, long nfds, int timeoutMillis);

    static native int close(int fd);

    static native String strerror(int errno);
}
