package io.weft.controlplane.support;

import java.net.URL;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A real gRPC channel to the control plane under test, and token helpers. */
public final class TestApi implements AutoCloseable {
    public static final String ADMIN = "test-admin-token";
    public static final String JOIN = "test-join-token";

    public final ManagedChannel channel;

    public TestApi(URL base) {
        this.channel = ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext()
                .maxInboundMessageSize(256 << 20).build(); // snapshots of a big store exceed the 4 MiB default
    }

    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata md = new Metadata();
        if (token != null) {
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
