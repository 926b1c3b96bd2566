package io.weft.dataplane.conn;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the transport's UDP socket from the calling thread (the host's forwarding thread, which
 * also reads the TAPs), instead of Netty's event loop: one {@code recvmsg} per UDP-GRO read of up
 * to 64 KiB into one reused direct buffer, split by the segment size the kernel reports
 * (cmsg UDP_GRO) straight into the receive batch's slots. No ByteBuf, no DatagramPacket, no slice
 * per segment (Netty 4.1 makes one of each per segment), and no wake-up of a second thread.
 *
 * <p>The socket is non-blocking; {@link #drain} reads until EAGAIN or its read budget is spent, so
 * the caller can go back to its other descriptors. One instance per thread.
 */
public final class GroReceiver {
    static final int MSGHDR = 56;
    static final int IOVEC = 16;
    static final int NAME = 32;        // sockaddr_in6 (28), rounded
    static final int CONTROL = 64;     // room for the UDP_GRO cmsg (and any other the kernel adds)
    static final int READ_SIZE = 65_536;
    static final int UDP_GRO = 104;

    private final int fd;
    private final DropCounters drops;
    private final ByteBuffer mem;
    private final long base;
    private final int msg;
    private final int iov;
    private final int name;
    private final int control;
    private final int data;
    private final byte[] lastName = new byte[NAME];
    private final byte[] nameScratch = new byte[NAME];
    private InetSocketAddress lastSender;
    private long groReads;

    GroReceiver(int fd, DropCounters drops) {
        this.fd = fd;
        this.drops = drops;
        this.msg = 0;
        this.iov = MSGHDR;
        this.name = iov + IOVEC;
        this.control = name + NAME;
        this.data = control + CONTROL;
        this.mem = ByteBuffer.allocateDirect(data + READ_SIZE).order(ByteOrder.nativeOrder());
        this.base = Pointer.nativeValue(Native.getDirectBufferPointer(mem));
        mem.putLong(iov, base + data);
        mem.putLong(iov + 8, READ_SIZE);
    }

    public int fd() {
        return fd;
    }

    /** How many reads carried several GRO-coalesced datagrams. */
    public long groReads() {
        return groReads;
    }

    /**
     * Reads what the socket has (at most {@code maxReads} reads), splits each read into its
     * datagrams in {@code batch} and hands the batch to {@code receiver} whenever it fills and at
     * the end. Returns the number of datagrams received.
     */
    public int drain(DatagramBatch batch, Transport.Receiver receiver, int maxReads) {
        int total = 0;
        batch.clear();
        for (int r = 0; r < maxReads; r++) {
            mem.putLong(msg, base + name);                 // msg_name
            mem.putInt(msg + 8, NAME);                     // msg_namelen
            mem.putLong(msg + 16, base + iov);             // msg_iov
            mem.putLong(msg + 24, 1);                      // msg_iovlen
            mem.putLong(msg + 32, base + control);         // msg_control
            mem.putLong(msg + 40, CONTROL);                // msg_controllen
            mem.putInt(msg + 48, 0);                       // msg_flags
            long n = UdpNative.recvmsg(fd, base + msg, 0);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == UdpNative.EINTR) {
                    continue;
                }
                if (errno != UdpNative.EAGAIN) {
                    // e.g. ECONNREFUSED: an ICMP error for an earlier send, reported on this read
                    drops.increment(DropReason.SEND_FAILED);
                }
                break;
            }
            InetSocketAddress from = sender();
            int len = (int) n;
            int seg = segmentSize();
            if (seg <= 0 || seg >= len) {
                total += copyIn(batch, receiver, 0, len, from);
            } else {
                groReads++;
                for (int off = 0; off < len; off += seg) {
                    total += copyIn(batch, receiver, off, Math.min(seg, len - off), from);
                }
            }
        }
        if (!batch.isEmpty()) {
            receiver.onBatch(batch);
            batch.clear();
        }
        return total;
    }

    private int copyIn(DatagramBatch batch, Transport.Receiver receiver, int off, int len, InetSocketAddress from) {
        if (len > batch.slotSize()) {
            drops.increment(DropReason.OVERSIZE_FRAME);
            return 0;
        }
        if (batch.isFull()) {
            receiver.onBatch(batch);
            batch.clear();
        }
        int s = batch.add();
        mem.get(data + off, batch.buffer(s), 0, len);
        batch.set(s, 0, len, from);
        return 1;
    }

    /** The UDP_GRO segment size from the control messages, or 0 when the read is one datagram. */
    private int segmentSize() {
        long controlLen = mem.getLong(msg + 40);
        int at = 0;
        while (at + 16 <= controlLen) {
            int c = control + at;
            long cmsgLen = mem.getLong(c);
            if (cmsgLen < 16) {
                break;
            }
            if (mem.getInt(c + 8) == UdpNative.SOL_UDP && mem.getInt(c + 12) == UDP_GRO) {
                return mem.getInt(c + 16);
            }
            at += (int) ((cmsgLen + 7) & ~7L);
        }
        return 0;
    }

    /** The sender, decoded only when it differs from the previous read's (peers are few). */
    private InetSocketAddress sender() {
        int len = Math.min(mem.getInt(msg + 8), NAME);
        mem.get(name, nameScratch, 0, NAME);
        if (lastSender != null && java.util.Arrays.equals(nameScratch, 0, len, lastName, 0, len)) {
            return lastSender;
        }
        System.arraycopy(nameScratch, 0, lastName, 0, NAME);
        lastSender = decode(nameScratch);
        return lastSender;
    }

    static InetSocketAddress decode(byte[] sa) {
        int family = (sa[0] & 0xFF) | (sa[1] & 0xFF) << 8;
        int port = (sa[2] & 0xFF) << 8 | (sa[3] & 0xFF);
        try {
            if (family == UdpNative.AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(sa, 4, 8)), port);
            }
            // InetAddress.getByAddress turns ::ffff:a.b.c.d into an Inet4Address, as Netty does.
            return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(sa, 8, 24)), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
    }
}
