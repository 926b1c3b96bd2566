package io.weft.dataplane.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The DNS server's sockets: for each listen address UDP sockets and a TCP listener (2-byte
 * length framing, several queries per connection, idle connections closed), on event loop
 * threads of their own so DNS load never delays the data path's loops. With several threads each
 * has its own UDP socket on the same address and port (SO_REUSEPORT: the kernel spreads clients
 * over them), so no lock or queue is shared between them. Packets from clients
 * the access policy refuses are dropped and counted (never answered: no open resolver, no
 * amplification).
 */
public final class DnsServer implements AutoCloseable {
    private static final int TCP_IDLE_SECONDS = 10;
    static final int MAX_QUERY = 4096;
    static final int UDP_BATCH = 16;

    private final QueryProcessor processor;
    private final Predicate<InetAddress> allowed;
    private final DnsMetrics metrics;
    private final int port;
    private final EventLoopGroup group;
    private final boolean epoll = Epoll.isAvailable();
    private final int threads;
    /** Per address: its UDP sockets (one per thread), then its TCP listener. */
    private final Map<InetAddress, List<Channel>> bound = new LinkedHashMap<>();

    public DnsServer(QueryProcessor processor, Predicate<InetAddress> allowed, DnsMetrics metrics, int port, int threads) {
        this.processor = processor;
        this.allowed = allowed;
        this.metrics = metrics;
        this.port = port;
        this.threads = epoll ? Math.max(1, threads) : 1;
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "weft-dns");
            t.setDaemon(true);
            return t;
        };
        this.group = epoll ? new EpollEventLoopGroup(this.threads, tf) : new NioEventLoopGroup(1, tf);
    }

    /**
     * Listens on exactly these addresses: binds new ones, closes those no longer wanted. Returns
     * the addresses that could not be bound, each with the reason (empty when all are fine).
     */
    public synchronized List<String> listen(Collection<InetAddress> addresses) {
        for (InetAddress a : new ArrayList<>(bound.keySet())) {
            if (!addresses.contains(a)) {
                for (Channel c : bound.remove(a)) {
                    c.close().syncUninterruptibly();
                }
            }
        }
        List<String> errors = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (bound.containsKey(a)) {
                continue;
            }
            // Port 0 (tests): the first UDP socket picks a port, which TCP may find taken; pick again.
            String error = null;
            for (int attempt = 0; attempt < (port == 0 ? 5 : 1); attempt++) {
                error = bindAll(a);
                if (error == null) {
                    break;
                }
            }
            if (error != null) {
                errors.add(a.getHostAddress() + ":" + port + ": " + error + " (another DNS server on that port? set weft.dns.port or stop it)");
            }
        }
        return errors;
    }

    /** Binds the address's sockets; null when done, else why not (nothing stays bound then). */
    private String bindAll(InetAddress a) {
        List<Channel> channels = new ArrayList<>();
        try {
            int p = port;
            for (int i = 0; i < threads; i++) {
                Channel udp = bindUdp(a, p);
                channels.add(udp);
                // With port 0 the others take the port the first got, so one address:port serves all.
                p = ((InetSocketAddress) udp.localAddress()).getPort();
            }
            channels.add(bindTcp(a, p));
            bound.put(a, channels);
            return null;
        } catch (Exception e) {
            for (Channel c : channels) {
                c.close().syncUninterruptibly();
            }
            return String.valueOf(e.getMessage());
        }
    }

    /** Bound addresses with their actual ports (port 0 in tests picks a free one; UDP and TCP get the same address). */
    public synchronized List<InetSocketAddress> udpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        bound.values().forEach(c -> out.add((InetSocketAddress) c.get(0).localAddress()));
        return out;
    }

    public synchronized List<InetSocketAddress> tcpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        bound.values().forEach(c -> out.add((InetSocketAddress) c.get(c.size() - 1).localAddress()));
        return out;
    }

    public int port() {
        return port;
    }

    private Channel bindUdp(InetAddress a, int udpPort) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_BATCH * MAX_QUERY))
                .handler(new UdpHandler());
        if (epoll) {
            // The host's address on a bridge may appear a moment after we bind (restart, re-plumbing).
            b.option(EpollChannelOption.IP_FREEBIND, true);
            // recvmmsg: up to UDP_BATCH queries per system call. A query longer than MAX_QUERY
            // arrives cut and gets FORMERR (real queries are a few dozen bytes).
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY);
            b.option(EpollChannelOption.SO_REUSEPORT, threads > 1);
        }
        return b.bind(new InetSocketAddress(a, udpPort)).sync().channel();
    }

    private Channel bindTcp(InetAddress a, int tcpPort) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS),
                                new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), new LengthFieldPrepender(2), new TcpHandler());
                    }
                });
        if (epoll) {
            b.option(EpollChannelOption.IP_FREEBIND, true);
        }
        return b.bind(new InetSocketAddress(a, tcpPort)).sync().channel();
    }

    @Override
    public synchronized void close() {
        listen(List.of());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @ChannelHandler.Sharable
    private final class UdpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                InetSocketAddress sender = p.sender();
                if (!allowed.test(sender.getAddress())) {
                    metrics.dropped("not_allowed");
                    return;
                }
                Channel ch = ctx.channel();
                processor.process(p.content().nioBuffer(), true, wire -> {
                    DatagramPacket answer = new DatagramPacket(Unpooled.wrappedBuffer(wire), sender);
                    if (ch.eventLoop().inEventLoop()) {
                        // Answered while reading: flushed once per read batch (sendmmsg).
                        ch.write(answer, ch.voidPromise());
                    } else {
                        ch.writeAndFlush(answer, ch.voidPromise()); // forwarded: from the resolver's thread
                    }
                });
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable surfacing as an error on the socket: nothing to do for DNS
        }
    }

    private final class TcpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (remote == null || !allowed.test(remote.getAddress())) {
                metrics.dropped("not_allowed");
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                Channel ch = ctx.channel();
                processor.process(frame.nioBuffer(), false, wire -> ch.writeAndFlush(Unpooled.wrappedBuffer(wire), ch.voidPromise()));
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A frame longer than a DNS message or a reset connection: drop the connection.
            metrics.dropped("tcp_error");
            ctx.close();
        }
    }
}
