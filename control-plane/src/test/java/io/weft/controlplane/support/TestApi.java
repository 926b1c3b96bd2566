package io.weft.controlplane.support;

import java.net.URL;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A real gRPC channel to the control plane under test, and token helpers. */
public final class TestApi implements AutoCloseable {
    public static final String ADMIN = "test-admin-token";
    public static final String JOIN = "test-join-token";

    public final ManagedChannel channel;

    /** Every call gets 20 s from its own start (a stub's withDeadlineAfter would count from the stub's creation). */
    static final ClientInterceptor PER_CALL_DEADLINE = new ClientInterceptor() {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return next.newCall(method, method.getType() == MethodDescriptor.MethodType.UNARY ? options.withDeadlineAfter(20, TimeUnit.SECONDS) : options);
        }
    };

    public TestApi(URL base) {
        this.channel = ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext()
                .maxInboundMessageSize(256 << 20).build(); // snapshots of a big store exceed the 4 MiB default
    }

    private TestApi(ManagedChannel channel) {
        this.channel = channel;
    }

    /** A channel whose HTTP/2 receive window is tiny, so a client that stops reading stalls the server quickly. */
    public static TestApi withSmallWindow(URL base) {
        return new TestApi(io.grpc.netty.NettyChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext()
                .flowControlWindow(16 * 1024).maxInboundMessageSize(256 << 20).build());
    }

    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata md = new Metadata();
        if (token != null) {
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md), PER_CALL_DEADLINE);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
