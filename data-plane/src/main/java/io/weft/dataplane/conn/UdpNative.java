package io.weft.dataplane.conn;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few socket calls {@link GsoSender} makes itself, through JNA direct mapping on raw addresses
 * of direct memory (no array copies, errno via {@link Native#getLastError()}, no exceptions).
 * x86-64 Linux numbers.
 */
final class UdpNative {
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;

    static final short POLLOUT = 0x4;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private UdpNative() {
    }

    /** {@code struct mmsghdr msgvec[vlen]}; returns how many were sent, or -1 (errno) when the first failed. */
    static native int sendmmsg(int fd, long msgvec, int vlen, int flags);

    /** {@code ssize_t recvmsg(int, struct msghdr *, int)}. */
    static native long recvmsg(int fd, long msghdr, int flags);

    static native int poll(long fds, long nfds, int timeoutMillis);

    static native int getsockname(int fd, long addr, long addrlen);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    static native String strerror(int errno);
}
