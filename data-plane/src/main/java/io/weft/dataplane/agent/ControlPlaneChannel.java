package io.weft.dataplane.agent;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channel to the control plane ({@code http://host:port}, or https for TLS) and the join
 * token every call carries as {@code authorization: Bearer <token>}. Shared by the watch stream and
 * the calls the local API forwards (attach, detach, connect...).
 */
public final class ControlPlaneChannel implements AutoCloseable {
    private final String url;
    private final ManagedChannel channel;
    private final Metadata auth = new Metadata();

    public ControlPlaneChannel(String url, String joinToken) {
        this.url = url;
        URI u = URI.create(url.contains("://") ? url : "http://" + url);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("control-plane URL '" + url + "' has no host: use http://HOST:6785");
        }
        int port = u.getPort() > 0 ? u.getPort() : 6785;
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(u.getHost(), port)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(false)
                .maxInboundMessageSize(64 << 20);
        if ("https".equalsIgnoreCase(u.getScheme())) {
            b.useTransportSecurity();
        } else {
            b.usePlaintext();
        }
        this.channel = b.build();
        if (joinToken != null && !joinToken.isEmpty()) {
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + joinToken);
        }
    }

    public String url() {
        return url;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** A stub that sends the join token, with a deadline for unary calls. */
    public <S extends AbstractStub<S>> S withAuth(S stub, long deadlineMillis) {
        S s = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        return deadlineMillis > 0 ? s.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS) : s;
    }

    /**
     * grpc-java's reconnect back-off grows while the server is down; the watch loop has its own
     * bounded back-off, so it resets the channel's before each attempt.
     */
    public void resetBackoff() {
        channel.resetConnectBackoff();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
