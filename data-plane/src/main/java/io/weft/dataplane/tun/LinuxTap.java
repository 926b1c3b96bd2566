package io.weft.dataplane.tun;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.weft.dataplane.buf.DirectAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP device opened through {@code /dev/net/tun}: IFF_TAP | IFF_NO_PI, and with offloads
 * IFF_VNET_HDR, a 12-byte virtio_net_hdr (TUNSETVNETHDRSZ) and TUNSETOFFLOAD, so the kernel hands
 * over 64 KiB TCP super-frames instead of MTU-sized ones (see PERFORMANCE-NOTES).
 *
 * <p>The fd is non-blocking: {@link #read} polls once for the first frame (with a timeout, so the
 * reading thread can notice a shutdown) and then drains with read() until EAGAIN or the batch is
 * full. A TAP has no batched write, so {@link #write} is one write() per frame. Reads and writes
 * go through one direct buffer each, allocated once; not thread-safe per direction (one reader
 * thread, one writer thread).
 *
 * <p>Needs CAP_NET_ADMIN. The device disappears when closed (not persistent), so a crashed
 * daemon leaves no interface behind.
 */
public final class LinuxTap implements TapDevice {
    /** Offloads this data plane can handle: checksum and TCPv4 segmentation (IPv6 TSO not yet). */
    public static final int DEFAULT_OFFLOADS = LibC.TUN_F_CSUM | LibC.TUN_F_TSO4;
    /** Largest frame a TAP hands over with TSO: 64 KiB plus the Ethernet header and our header. */
    public static final int MAX_READ = VirtioNetHdr.LENGTH + 65_535 + 18;

    private final String name;
    private final boolean vnetHeader;
    private final boolean udpGso;
    private final int fd;
    private final ByteBuffer readBuf;
    private final long readAddr;
    private final ByteBuffer writeBuf;
    private final long writeAddr;
    private final ByteBuffer pollFd;
    private final long pollAddr;
    private volatile boolean closed;

    private LinuxTap(String name, boolean vnetHeader, boolean udpGso, int fd) {
        this.name = name;
        this.vnetHeader = vnetHeader;
        this.udpGso = udpGso;
        this.fd = fd;
        this.readBuf = ByteBuffer.allocateDirect(MAX_READ);
        this.readAddr = address(readBuf);
        this.writeBuf = ByteBuffer.allocateDirect(MAX_READ);
        this.writeAddr = address(writeBuf);
        this.pollFd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        this.pollAddr = address(pollFd);
        pollFd.putInt(0, fd).putShort(4, LibC.POLLIN);
    }

    /**
     * Creates (or attaches to) the TAP named {@code name} (max 15 bytes; "%d" lets the kernel pick).
     *
     * @param offloads TUN_F_* bits to request with the vnet header; 0 opens without IFF_VNET_HDR
     */
    public static LinuxTap open(String name, int offloads) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length > 15) {
            throw new IOException("TAP name '" + name + "' must be 1 to 15 ASCII characters");
        }
        int fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw error("open /dev/net/tun (needs CAP_NET_ADMIN and the tun module)");
        }
        boolean vnet = offloads != 0;
        boolean udpGso = false;
        try {
            ByteBuffer ifr = ByteBuffer.allocateDirect(40).order(ByteOrder.nativeOrder());
            ifr.put(0, nameBytes);
            short flags = (short) (LibC.IFF_TAP | LibC.IFF_NO_PI | (vnet ? LibC.IFF_VNET_HDR : 0));
            ifr.putShort(16, flags);
            if (LibC.ioctl(fd, LibC.TUNSETIFF, address(ifr)) < 0) {
                throw error("TUNSETIFF " + name);
            }
            byte[] actual = new byte[16];
            ifr.get(0, actual);
            int n = 0;
            while (n < 16 && actual[n] != 0) {
                n++;
            }
            String actualName = new String(actual, 0, n, StandardCharsets.US_ASCII);
            if (vnet) {
                ByteBuffer size = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                size.putInt(0, VirtioNetHdr.LENGTH);
                if (LibC.ioctl(fd, LibC.TUNSETVNETHDRSZ, address(size)) < 0) {
                    throw error("TUNSETVNETHDRSZ");
                }
                udpGso = kernelTakesUdpGso(fd, offloads);
                // TSO bits are only accepted together with CSUM; unknown bits give EINVAL.
                if (LibC.ioctl(fd, LibC.TUNSETOFFLOAD, offloads) < 0) {
                    throw error("TUNSETOFFLOAD 0x" + Integer.toHexString(offloads));
                }
            }
            return new LinuxTap(actualName, vnet, udpGso, fd);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * Whether the kernel accepts GSO_UDP_L4 frames written to a TAP (Linux 6.2+). It has no query
     * for that; it came with the TUN_F_USO4/USO6 offload bits, so a kernel that takes those bits
     * also takes such writes. The bits themselves are not kept (the caller sets its offloads
     * next): they would let the kernel hand UDP super-frames to us, which the segmenter does not split.
     */
    private static boolean kernelTakesUdpGso(int fd, int offloads) {
        return (offloads & LibC.TUN_F_CSUM) != 0
                && LibC.ioctl(fd, LibC.TUNSETOFFLOAD, offloads | LibC.TUN_F_USO4 | LibC.TUN_F_USO6) == 0;
    }

    private static IOException error(String what) {
        int errno = Native.getLastError();
        return new IOException(what + ": " + LibC.strerror(errno) + " (errno " + errno + ")");
    }

    private static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public boolean acceptsUdpGso() {
        return udpGso;
    }

    public int fd() {
        return fd;
    }

    /** poll(2) on raw pollfd memory (for a thread that waits on this TAP and other descriptors). */
    public static int poll(long fds, int nfds, int timeoutMillis) {
        return LibC.poll(fds, nfds, timeoutMillis);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean vnetHeader() {
        return vnetHeader;
    }

    @Override
    public int read(FrameBatch batch, int timeoutMillis) throws IOException {
        batch.clear();
        if (closed) {
            return 0;
        }
        int max = Math.min(batch.slotSize(), MAX_READ);
        ByteBuffer direct = batch.direct();
        long directAddr = direct == null ? 0 : readBatchAddress.of(direct);
        while (!batch.isFull()) {
            // A direct batch is read into in place (only headers are mirrored to the heap).
            long to = direct == null ? readAddr : directAddr + batch.directOffset(batch.count());
            long n = LibC.read(fd, to, max);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == LibC.EINTR) {
                    continue;
                }
                if (errno != LibC.EAGAIN) {
                    throw new IOException("read " + name + ": " + LibC.strerror(errno));
                }
                if (batch.count() > 0 || timeoutMillis <= 0 || !awaitReadable(timeoutMillis)) {
                    break;
                }
                timeoutMillis = 0; // waited once; from now on only drain what is ready
                continue;
            }
            int s = batch.add();
            if (direct == null) {
                readBuf.get(0, batch.buffer(s), 0, (int) n);
                batch.setLength(s, (int) n);
            } else {
                batch.mirror(s, (int) n);
            }
        }
        return batch.count();
    }

    private final DirectAddress readBatchAddress = new DirectAddress();
    private final DirectAddress writeBatchAddress = new DirectAddress();

    private boolean awaitReadable(int timeoutMillis) throws IOException {
        pollFd.putShort(6, (short) 0);
        int r = LibC.poll(pollAddr, 1, timeoutMillis);
        if (r < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                return false;
            }
            throw new IOException("poll " + name + ": " + LibC.strerror(errno));
        }
        return r > 0;
    }

    @Override
    public int write(FrameBatch batch) {
        int refused = 0;
        ByteBuffer direct = batch.direct();
        long directAddr = direct == null ? 0 : writeBatchAddress.of(direct);
        for (int i = 0; i < batch.count(); i++) {
            int len = batch.length(i);
            if (closed || len > MAX_READ) {
                refused++;
                continue;
            }
            long from;
            if (direct != null) {
                from = directAddr + batch.directOffset(i); // written where it was built: no copy
            } else {
                writeBuf.put(0, batch.buffer(i), 0, len);
                from = writeAddr;
            }
            long n = LibC.write(fd, from, len);
            if (n != len) {
                refused++; // EINVAL for a header the kernel rejects, EAGAIN when its queue is full
            }
        }
        return refused;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
