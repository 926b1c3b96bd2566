package io.weft.dataplane.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalAttachResponse;
import io.weft.api.v1.LocalConnectRequest;
import io.weft.api.v1.LocalConnectResponse;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalDetachResponse;
import io.weft.api.v1.LocalExposeRequest;
import io.weft.api.v1.LocalExposeResponse;
import io.weft.api.v1.LocalForgetRequest;
import io.weft.api.v1.LocalForgetResponse;
import io.weft.api.v1.LocalHideRequest;
import io.weft.api.v1.LocalHideResponse;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalPsResponse;
import io.weft.api.v1.LocalResetRequest;
import io.weft.api.v1.LocalResetResponse;
import io.weft.api.v1.LocalServiceGrpc;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.dataplane.daemon.LocalOps;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * weft.v1.LocalService on the daemon's loopback port (see local.proto). Thin: every call runs on a
 * worker thread (it runs commands and calls the control plane) and delegates to {@link LocalOps};
 * unexpected failures become INTERNAL with their message.
 */
@GrpcService
@Blocking
public class LocalGrpcService extends LocalServiceGrpc.LocalServiceImplBase {
    private static final Logger LOG = Logger.getLogger(LocalGrpcService.class);

    @Inject
    LocalOps ops;

    private static <T> void call(StreamObserver<T> out, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.warn("local API call failed", e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    @Override
    public void attach(LocalAttachRequest request, StreamObserver<LocalAttachResponse> out) {
        call(out, () -> ops.attach(request));
    }

    @Override
    public void detach(LocalDetachRequest request, StreamObserver<LocalDetachResponse> out) {
        call(out, () -> ops.detach(request));
    }

    @Override
    public void expose(LocalExposeRequest request, StreamObserver<LocalExposeResponse> out) {
        call(out, () -> ops.expose(request));
    }

    @Override
    public void hide(LocalHideRequest request, StreamObserver<LocalHideResponse> out) {
        call(out, () -> ops.hide(request));
    }

    @Override
    public void connect(LocalConnectRequest request, StreamObserver<LocalConnectResponse> out) {
        call(out, () -> ops.connect(request));
    }

    @Override
    public void forget(LocalForgetRequest request, StreamObserver<LocalForgetResponse> out) {
        call(out, () -> ops.forget(request));
    }

    @Override
    public void status(LocalStatusRequest request, StreamObserver<LocalStatus> out) {
        call(out, ops::status);
    }

    @Override
    public void ps(LocalPsRequest request, StreamObserver<LocalPsResponse> out) {
        call(out, () -> ops.ps(request));
    }

    @Override
    public void reset(LocalResetRequest request, StreamObserver<LocalResetResponse> out) {
        call(out, () -> ops.reset(request));
    }
}
