package io.weft.dataplane.conn;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.weft.dataplane.wire.DropCounters;
import io.weft.dataplane.wire.DropReason;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The real underlay: one UDP socket on a Netty {@link EpollDatagramChannel} (native epoll).
 *
 * <ul>
 *   <li>Send: a batch is written datagram by datagram and flushed once, so Netty hands the kernel
 *       several at a time (sendmmsg). Runs of same-size datagrams to one endpoint (a segmented TCP
 *       super-frame) go as one UDP GSO send ({@link SegmentedDatagramPacket}, UDP_SEGMENT): at most
 *       64 segments and MAX_UDP_PAYLOAD bytes per send, a shorter tail only last. Payloads are copied into
 *       pooled direct buffers (the kernel needs direct memory; Netty would copy a heap buffer anyway).</li>
 *   <li>Receive: with UDP_GRO the kernel coalesces same-flow datagrams into one read (a 64 KiB fixed
 *       receive buffer, MAX_DATAGRAM_PAYLOAD_SIZE 0: the combination that keeps segment boundaries);
 *       it is split back by segment size into the receive batch. Without GRO, recvmmsg reads many
 *       MTU-sized datagrams per wake-up. The receiver gets one batch per read burst. The daemon
 *       instead takes reading over ({@link #takeOverReceive}): a forwarding thread of its own reads
 *       the socket through a {@link GroReceiver}.</li>
 *   <li>Big socket buffers (~7 MB requested; the kernel caps them at net.core.[rw]mem_max).</li>
 *   <li>Bounded: when Netty's outbound buffer passes its high-water mark, datagrams are refused
 *       (the caller counts them) instead of queueing without limit.</li>
 * </ul>
 * {@link #send} from a thread other than the channel's event loop makes Netty queue each write as
 * a task (an allocation and a thread hop per GSO run): fine for heartbeats and relays, too slow for
 * the bulk path. The bulk path (the TAP reading thread, the underlay path's relays) uses
 * {@link #newSender}: a {@link GsoSender} that calls sendmmsg with UDP_SEGMENT on this channel's
 * socket from the caller's own thread.
 */
public final class EpollUdpTransport implements Transport {
    /** Tunables; defaults follow PERFORMANCE-NOTES. */
    public record Options(int socketBufferBytes, boolean gro, boolean gso, int batchCapacity, int slotSize) {
        public static Options defaults() {
            return new Options(7 << 20, true, true, 256, 2048);
        }
    }

    static final int MAX_GSO_SEGMENTS = 64;
    /**
     * Payload bytes of one UDP GSO send. Not the 65507-byte UDP limit: a GSO packet whose skb
     * (with Ethernet, IP and UDP headers) reaches the device's gso_max_size (64 KiB by default) is
     * segmented in software before the device, so the receiver gets MTU-sized packets one by one and
     * UDP GRO has nothing to coalesce (measured: 46 x 1424 B per send gave 1.5 KB packets on the
     * underlay veth, 45 x 1424 B stays one 64 KB packet). 65536 - 14 - 40 (IPv6) - 8 - 1.
     */
    static final int MAX_UDP_PAYLOAD = 65_536 - 14 - 40 - 8 - 1;

    private final Channel channel;
    private final EventLoopGroup ownedGroup;
    private final Options options;
    private final DropCounters drops;
    private final boolean gsoSupported;
    /**
     * The socket's own pool. Not PooledByteBufAllocator.DEFAULT: Quarkus runs with
     * io.netty.allocator.maxOrder=3 (64 KiB chunks), where every 64 KiB GRO receive buffer is a
     * "huge" allocation: a fresh DirectByteBuffer, zeroed, freed again, per read (measured: ~2% of
     * the box's CPU at 6 Gbit/s). 4 MiB chunks (maxOrder 9) keep it pooled; two arenas for the
     * event loop and the senders of heartbeats and relays.
     */
    static final ByteBufAllocator ALLOC = new PooledByteBufAllocator(true, 0, 2, 8192, 9, 256, 64, true);

    private final ByteBufAllocator alloc = ALLOC;
    private final DatagramBatch receiveBatch;
    private volatile Receiver receiver;
    /** Reads that carried several GRO-coalesced datagrams (written on the event loop only). */
    private volatile long groReads;

    private EpollUdpTransport(Channel channel, EventLoopGroup ownedGroup, Options options, DropCounters drops) {
        this.channel = channel;
        this.ownedGroup = ownedGroup;
        this.options = options;
        this.drops = drops;
        this.gsoSupported = options.gso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        this.receiveBatch = new DatagramBatch(options.batchCapacity(), options.slotSize());
    }

    public static boolean isAvailable() {
        return Epoll.isAvailable();
    }

    /**
     * Binds a UDP socket. {@code group} is the event loop group to run on (e.g. Vert.x's); null
     * creates a one-thread group owned (and shut down) by this transport.
     */
    public static EpollUdpTransport bind(InetSocketAddress local, EventLoopGroup group, Options options,
                                         DropCounters drops) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("native epoll unavailable", Epoll.unavailabilityCause());
        }
        EventLoopGroup owned = group == null ? new EpollEventLoopGroup(1) : null;
        EventLoopGroup g = group != null ? group : owned;
        Handler handler = new Handler();
        Bootstrap b = new Bootstrap()
                .group(g)
                .channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_SNDBUF, options.socketBufferBytes())
                .option(ChannelOption.SO_RCVBUF, options.socketBufferBytes())
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(handler);
        if (options.gro()) {
            b.option(EpollChannelOption.UDP_GRO, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536));
        } else {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, options.slotSize())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(options.slotSize() * 32));
        }
        try {
            Channel ch = b.bind(local).sync().channel();
            forceBuffers(ch, options.socketBufferBytes());
            EpollUdpTransport t = new EpollUdpTransport(ch, owned, options, drops);
            handler.transport = t;
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (owned != null) {
                owned.shutdownGracefully();
            }
            throw new IOException("interrupted while binding " + local, e);
        } catch (RuntimeException e) {
            if (owned != null) {
                owned.shutdownGracefully();
            }
            throw new IOException("cannot bind UDP " + local + ": " + e.getMessage(), e);
        }
    }

    /**
     * As root, SO_SNDBUFFORCE / SO_RCVBUFFORCE get the requested size past net.core.[rw]mem_max
     * (SO_SNDBUF / SO_RCVBUF alone are capped there); without the capability this changes nothing.
     */
    private static void forceBuffers(Channel ch, int bytes) {
        try {
            int fd = ((EpollDatagramChannel) ch).fd().intValue();
            java.nio.ByteBuffer v = java.nio.ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
            v.putInt(0, bytes);
            long addr = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(v));
            UdpNative.setsockopt(fd, UdpNative.SOL_SOCKET, UdpNative.SO_SNDBUFFORCE, addr, 4);
            UdpNative.setsockopt(fd, UdpNative.SOL_SOCKET, UdpNative.SO_RCVBUFFORCE, addr, 4);
        } catch (RuntimeException | LinkageError e) {
            // best effort: the plain options were set by the bootstrap
        }
    }

    /**
     * A sender that writes from the calling thread straight to this channel's socket (sendmmsg,
     * UDP GSO): no event-loop task per write. One per thread.
     */
    @Override
    public Transport.Sender newSender(int maxDatagrams, int maxDatagramSize) {
        int fd = ((EpollDatagramChannel) channel).fd().intValue();
        return new GsoSender(fd, channel::isOpen, gsoSupported, maxDatagrams, maxDatagramSize, drops);
    }

    /**
     * Takes reading the socket away from the event loop: Netty stops reading (auto-read off) and
     * the returned receiver reads from its caller's thread instead (the daemon's underlay
     * forwarding thread). Sending through {@link #send} is unaffected.
     */
    public GroReceiver takeOverReceive() {
        // On the event loop, and waited for: once it has run, Netty has taken EPOLLIN off the
        // socket and no read of its own is in progress, so no datagram goes to the old receiver.
        Runnable stop = () -> channel.config().setAutoRead(false);
        if (channel.eventLoop().inEventLoop()) {
            stop.run();
        } else {
            channel.eventLoop().submit(stop).syncUninterruptibly();
        }
        return new GroReceiver(((EpollDatagramChannel) channel).fd().intValue(), drops);
    }

    /** A batch sized like the transport's own receive batch, for a {@link GroReceiver}. */
    public DatagramBatch newReceiveBatch() {
        return new DatagramBatch(options.batchCapacity(), options.slotSize());
    }

    /** How many reads carried several datagrams coalesced by UDP GRO. */
    public long groReads() {
        return groReads;
    }

    /** Whether the kernel accepted UDP_GRO on the socket. */
    public boolean groEnabled() {
        Boolean v = channel.config().getOption(EpollChannelOption.UDP_GRO);
        return v != null && v;
    }

    public boolean gsoEnabled() {
        return gsoSupported;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public int send(DatagramBatch batch) {
        int n = batch.count();
        int refused = 0;
        int i = 0;
        while (i < n) {
            if (!channel.isWritable()) {
                refused += n - i; // the caller counts refused datagrams
                break;
            }
            int run = gsoSupported ? gsoRun(batch, i, n) : 1;
            InetSocketAddress to = batch.endpoint(i);
            int total = 0;
            for (int k = i; k < i + run; k++) {
                total += batch.totalLength(k);
            }
            ByteBuf buf = alloc.directBuffer(total);
            for (int k = i; k < i + run; k++) {
                buf.writeBytes(batch.buffer(k), batch.offset(k), batch.length(k));
                if (batch.tail(k) != null) {
                    buf.writeBytes(batch.tail(k).duplicate().clear()
                            .position(batch.tailOffset(k)).limit(batch.tailOffset(k) + batch.tailLength(k)));
                }
            }
            DatagramPacket packet = run > 1
                    ? new SegmentedDatagramPacket(buf, batch.totalLength(i), to)
                    : new DatagramPacket(buf, to);
            channel.write(packet, channel.voidPromise());
            i += run;
        }
        channel.flush();
        return refused;
    }

    /**
     * Length of the run starting at {@code i} that may go as one UDP GSO send: same endpoint, same
     * size (a shorter one only last), within the segment and byte limits, and not past a datagram
     * marked with {@link DatagramBatch#endRun}.
     */
    static int gsoRun(DatagramBatch batch, int i, int n) {
        int size = batch.totalLength(i);
        InetSocketAddress to = batch.endpoint(i);
        int total = size;
        int k = i + 1;
        if (batch.endsRun(i)) {
            return 1;
        }
        while (k < n && k - i < MAX_GSO_SEGMENTS) {
            int len = batch.totalLength(k);
            if (len > size || total + len > MAX_UDP_PAYLOAD || !to.equals(batch.endpoint(k))) {
                break;
            }
            total += len;
            k++;
            if (len < size || batch.endsRun(k - 1)) {
                break; // a shorter datagram can only be the last segment; a marked one ends its group
            }
        }
        return k - i;
    }

    private void deliver() {
        Receiver r = receiver;
        if (!receiveBatch.isEmpty()) {
            if (r != null) {
                r.onBatch(receiveBatch);
            }
            receiveBatch.clear();
        }
    }

    private void copyIn(ByteBuf content, int from, int len, InetSocketAddress sender) {
        if (len > receiveBatch.slotSize()) {
            drops.increment(DropReason.OVERSIZE_FRAME);
            return;
        }
        if (receiveBatch.isFull()) {
            deliver();
        }
        int s = receiveBatch.add();
        content.getBytes(from, receiveBatch.buffer(s), 0, len);
        receiveBatch.set(s, 0, len, sender);
    }

    /** Runs on the channel's event loop: copies each datagram into the batch, delivers per burst. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        volatile EpollUdpTransport transport;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            EpollUdpTransport t = transport;
            if (!(msg instanceof DatagramPacket)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            DatagramPacket p = (DatagramPacket) msg;
            try {
                if (t == null) {
                    return;
                }
                ByteBuf c = p.content();
                int start = c.readerIndex();
                int len = c.readableBytes();
                int seg = p instanceof SegmentedDatagramPacket ? ((SegmentedDatagramPacket) p).segmentSize() : 0;
                if (seg <= 0 || seg >= len) {
                    t.copyIn(c, start, len, p.sender());
                } else {
                    // UDP GRO: several same-size datagrams (the last may be shorter) in one read.
                    t.groReads++;
                    for (int off = 0; off < len; off += seg) {
                        t.copyIn(c, start + off, Math.min(seg, len - off), p.sender());
                    }
                }
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            EpollUdpTransport t = transport;
            if (t != null) {
                t.deliver();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable surfaced as an error: nothing to do but go on.
            EpollUdpTransport t = transport;
            if (t != null) {
                t.drops.increment(DropReason.SEND_FAILED);
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    Options options() {
        return options;
    }
}
