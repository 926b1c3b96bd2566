package io.weft.dataplane.conn;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.weft.dataplane.buf.DirectAddress;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * Sends datagram batches on the transport's UDP socket straight from the calling thread (e.g. a
 * TAP reader), without going through the Netty event loop: no task, no ByteBuf, no allocation
 * per datagram, no thread hop. One {@code sendmmsg} per batch, each message one UDP GSO send
 * (UDP_SEGMENT) of a run of same-size datagrams to one endpoint (see
 * {@link EpollUdpTransport#gsoRun}) — a 64 KiB TCP super-frame cut into ~47 datagrams goes to the
 * kernel as two messages of one syscall.
 *
 * <p>Datagram boundaries are kept (each segment is its own UDP datagram on the wire), so a lost
 * datagram costs one segment, and per-datagram sealing (issue 4) happens before this, in the
 * batch's byte[] slots; here they are copied once into direct memory the kernel reads. A
 * datagram's tail ({@link DatagramBatch#setTail}, e.g. a plaintext segment's payload still in the
 * TAP's read buffer) is not copied at all: it gets an iovec of its own, and the kernel gathers the
 * slot bytes and the tail into the datagram.
 *
 * <p>Back-pressure: when the socket buffer is full (EAGAIN) the caller waits for POLLOUT (bounded)
 * instead of dropping, which slows the TAP reader and so the sending TCP flow; after
 * {@link #MAX_WAITS} fruitless waits the rest of the batch is refused (returned, for the caller to
 * count). Kernel errors on one message drop that message only (counted here as SEND_FAILED).
 *
 * <p>One instance per thread; memory (direct, allocated once) is sized for
 * {@code maxDatagrams x maxDatagramSize} bytes of payload.
 */
public final class GsoSender implements Transport.Sender {
    static final int MMSGHDR = 64;   // struct mmsghdr: msghdr (56) + msg_len (4) + padding
    static final int IOVEC = 16;
    static final int SOCKADDR = 32;  // sockaddr_in6 (28), rounded
    static final int CMSG = 24;      // CMSG_SPACE(sizeof(uint16_t))
    static final int CMSG_LEN = 18;  // CMSG_LEN(sizeof(uint16_t))
    static final int MAX_WAITS = 20;
    static final int WAIT_MILLIS = 50;

    private final int fd;
    private final BooleanSupplier open;
    private final boolean gso;
    private final boolean v6;
    private final DropCounters drops;
    private final int maxMessages;
    private final int maxIovecs;
    private final ByteBuffer mem;
    private final long base;
    private final int msgs;
    private final int iovs;
    private final int addrs;
    private final int cmsgs;
    private final int pollFd;
    private final int data;
    private final int dataSize;
    /** Datagrams per message, for counting what a failed message held. */
    private final int[] segments;
    // A few encoded endpoints (peers are long-lived objects): encoding allocates only on a miss.
    private final InetSocketAddress[] cacheKey = new InetSocketAddress[8];
    private final byte[][] cacheVal = new byte[8][SOCKADDR];
    private int cacheNext;

    GsoSender(int fd, BooleanSupplier open, boolean gso, int maxDatagrams, int maxDatagramSize, DropCounters drops) {
        this.fd = fd;
        this.open = open;
        this.gso = gso;
        this.drops = drops;
        this.maxMessages = maxDatagrams;
        this.maxIovecs = 2 * maxDatagrams; // at most slot bytes + tail per datagram
        this.dataSize = maxDatagrams * maxDatagramSize;
        this.msgs = 0;
        this.iovs = msgs + maxMessages * MMSGHDR;
        this.addrs = iovs + maxIovecs * IOVEC;
        this.cmsgs = addrs + maxMessages * SOCKADDR;
        this.pollFd = cmsgs + maxMessages * CMSG;
        this.data = pollFd + 64;
        this.mem = ByteBuffer.allocateDirect(data + dataSize).order(ByteOrder.nativeOrder());
        this.base = Pointer.nativeValue(Native.getDirectBufferPointer(mem));
        this.segments = new int[maxMessages];
        this.v6 = socketFamily(fd, mem, base, data) == UdpNative.AF_INET6;
        for (int k = 0; k < maxMessages; k++) {
            int m = msgs + k * MMSGHDR;
            mem.putLong(m, base + addrs + (long) k * SOCKADDR);         // msg_name
            mem.putInt(m + 8, v6 ? 28 : 16);                            // msg_namelen
            int c = cmsgs + k * CMSG;
            mem.putLong(c, CMSG_LEN);                                   // cmsg_len
            mem.putInt(c + 8, UdpNative.SOL_UDP);                       // cmsg_level
            mem.putInt(c + 12, UdpNative.UDP_SEGMENT);                  // cmsg_type
        }
        mem.putInt(pollFd, fd);
        mem.putShort(pollFd + 4, UdpNative.POLLOUT);
    }

    private static int socketFamily(int fd, ByteBuffer mem, long base, int scratch) {
        mem.putInt(scratch + 32, 32);
        if (UdpNative.getsockname(fd, base + scratch, base + scratch + 32) < 0) {
            return UdpNative.AF_INET6;
        }
        return mem.getShort(scratch) & 0xFFFF;
    }

    /** Whether UDP_SEGMENT is used (else one datagram per message, still one sendmmsg per batch). */
    public boolean gso() {
        return gso;
    }

    @Override
    public int send(DatagramBatch batch) {
        int n = batch.count();
        if (n == 0) {
            return 0;
        }
        if (!open.getAsBoolean()) {
            return n;
        }
        int refused = 0;
        int i = 0;
        while (i < n) {
            // Build as many messages as fit, then send them with as few calls as the kernel allows.
            int k = 0;
            int used = 0;
            int iovUsed = 0;
            int first = i;
            while (i < n && k < maxMessages) {
                int run = gso ? EpollUdpTransport.gsoRun(batch, i, n) : 1;
                int slotBytes = 0;
                for (int j = i; j < i + run; j++) {
                    slotBytes += batch.length(j);
                }
                if (used + slotBytes > dataSize || iovUsed + 2 * run > maxIovecs) {
                    if (k == 0) {
                        throw new IllegalArgumentException("batch larger than this sender's memory");
                    }
                    break;
                }
                InetSocketAddress to = batch.endpoint(i);
                if (to == null) {
                    refused += run;
                    i += run;
                    continue;
                }
                int firstIov = iovUsed;
                int at = data + used;
                int open = -1; // the iovec the next slot bytes may extend (they follow in memory)
                for (int j = i; j < i + run; j++) {
                    int len = batch.length(j);
                    mem.put(at, batch.buffer(j), batch.offset(j), len);
                    if (open >= 0) {
                        int v = iovs + open * IOVEC;
                        mem.putLong(v + 8, mem.getLong(v + 8) + len);
                    } else {
                        open = iovUsed;
                        putIovec(iovUsed++, base + at, len);
                    }
                    at += len;
                    ByteBuffer tail = batch.tail(j);
                    if (tail != null) {
                        putIovec(iovUsed++, tailAddress.of(tail) + batch.tailOffset(j), batch.tailLength(j));
                        open = -1;
                    }
                }
                int m = msgs + k * MMSGHDR;
                mem.putLong(m + 16, base + iovs + (long) firstIov * IOVEC);   // msg_iov
                mem.putLong(m + 24, iovUsed - firstIov);                      // msg_iovlen
                putAddress(addrs + k * SOCKADDR, to);
                used += slotBytes;
                if (run > 1) {
                    mem.putShort(cmsgs + k * CMSG + 16, (short) batch.totalLength(i));
                    mem.putLong(m + 32, base + cmsgs + (long) k * CMSG);  // msg_control
                    mem.putLong(m + 40, CMSG);                            // msg_controllen
                } else {
                    mem.putLong(m + 32, 0);
                    mem.putLong(m + 40, 0);
                }
                mem.putInt(m + 48, 0);                                    // msg_flags
                segments[k] = run;
                k++;
                i += run;
            }
            if (k > 0) {
                refused += sendAll(k);
            }
            if (i == first) {
                break;
            }
        }
        return refused;
    }

    /** Sends messages 0..count-1; returns the datagrams refused for back-pressure. */
    private int sendAll(int count) {
        int k = 0;
        int waits = 0;
        while (k < count) {
            int r = UdpNative.sendmmsg(fd, base + msgs + (long) k * MMSGHDR, count - k, 0);
            if (r > 0) {
                k += r;
                continue;
            }
            int errno = Native.getLastError();
            if (r == 0 || errno == UdpNative.EINTR) {
                continue;
            }
            if (errno == UdpNative.EAGAIN) {
                if (waits++ < MAX_WAITS && open.getAsBoolean()) {
                    awaitWritable();
                    continue;
                }
                int rest = 0;
                for (int j = k; j < count; j++) {
                    rest += segments[j];
                }
                return rest; // the caller counts these (QUEUE_FULL)
            }
            // This message failed (e.g. no route, or the kernel refused its GSO): drop it alone.
            for (int j = 0; j < segments[k]; j++) {
                drops.increment(DropReason.SEND_FAILED);
            }
            k++;
        }
        return 0;
    }

    private void putIovec(int index, long address, long length) {
        int v = iovs + index * IOVEC;
        mem.putLong(v, address);
        mem.putLong(v + 8, length);
    }

    // Tails come from a few long-lived direct buffers (a TAP reader's batch).
    private final DirectAddress tailAddress = new DirectAddress();

    private void awaitWritable() {
        mem.putShort(pollFd + 6, (short) 0);
        UdpNative.poll(base + pollFd, 1, WAIT_MILLIS);
    }

    private void putAddress(int at, InetSocketAddress to) {
        byte[] enc = null;
        for (int c = 0; c < cacheKey.length; c++) {
            if (cacheKey[c] == to) {
                enc = cacheVal[c];
                break;
            }
        }
        if (enc == null) {
            int c = cacheNext;
            cacheNext = (c + 1) % cacheKey.length;
            enc = cacheVal[c];
            encode(to, enc);
            cacheKey[c] = to;
        }
        mem.put(at, enc, 0, SOCKADDR);
    }

    /** struct sockaddr_in or sockaddr_in6 (IPv4 as ::ffff:a.b.c.d on an IPv6 socket). */
    private void encode(InetSocketAddress to, byte[] out) {
        java.util.Arrays.fill(out, (byte) 0);
        InetAddress a = to.getAddress();
        byte[] ip = a == null ? new byte[4] : a.getAddress();
        int port = to.getPort();
        if (v6) {
            out[0] = (byte) UdpNative.AF_INET6; // sa_family, little-endian
            out[2] = (byte) (port >>> 8);
            out[3] = (byte) port;
            if (ip.length == 4) {
                out[18] = (byte) 0xFF;
                out[19] = (byte) 0xFF;
                System.arraycopy(ip, 0, out, 20, 4);
            } else {
                System.arraycopy(ip, 0, out, 8, 16);
                if (a instanceof Inet6Address) {
                    int scope = ((Inet6Address) a).getScopeId();
                    out[24] = (byte) scope;
                    out[25] = (byte) (scope >>> 8);
                    out[26] = (byte) (scope >>> 16);
                    out[27] = (byte) (scope >>> 24);
                }
            }
        } else {
            out[0] = (byte) UdpNative.AF_INET;
            out[2] = (byte) (port >>> 8);
            out[3] = (byte) port;
            if (a instanceof Inet4Address) {
                System.arraycopy(ip, 0, out, 4, 4);
            }
        }
    }
}
