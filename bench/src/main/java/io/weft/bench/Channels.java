package io.weft.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.MetadataUtils;

/**
 * Makes one gRPC connection (ManagedChannel) per simulated client, all on one shared Netty event
 * loop group, so ten thousand connections cost a handful of threads.
 */
final class Channels implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final int FLOW_CONTROL_WINDOW = 4 * 1024 * 1024;

    private final InetSocketAddress target;
    private final EventLoopGroup group;
    private final boolean epoll;

    Channels(String host, int port, int threads) {
        this.target = new InetSocketAddress(host, port);
        this.epoll = Epoll.isAvailable();
        ThreadFactory tf = daemonFactory("bench-netty-");
        this.group = epoll ? new EpollEventLoopGroup(threads, tf) : new NioEventLoopGroup(threads, tf);
    }

    EventLoopGroup group() {
        return group;
    }

    String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** A new connection; callbacks run on its event loop (direct executor), so observers must not block. */
    ManagedChannel open() {
        return NettyChannelBuilder.forAddress(target)
                .eventLoopGroup(group)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .usePlaintext()
                .directExecutor()
                .disableRetry()
                // A fixed window turns off BDP probing: no PING per burst of data on 10,000 connections.
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .maxInboundMessageSize(256 * 1024 * 1024)
                .build();
    }

    /** A new connection whose callbacks run on gRPC's default executor (for blocking stubs). */
    ManagedChannel openForBlocking() {
        return NettyChannelBuilder.forAddress(target)
                .eventLoopGroup(group)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .usePlaintext()
                .disableRetry()
                .maxInboundMessageSize(256 * 1024 * 1024)
                .build();
    }

    /** The channel with "authorization: Bearer token" on every call. */
    static Channel withToken(Channel channel, String token) {
        Metadata md = new Metadata();
        md.put(AUTHORIZATION, "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void shutdown(ManagedChannel ch) {
        ch.shutdownNow();
    }

    static void await(ManagedChannel ch, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            ch.awaitTermination(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
