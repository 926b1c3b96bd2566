package io.weft.dataplane.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.AddDnsRecordsResponse;
import io.weft.api.v1.DnsLookupRequest;
import io.weft.api.v1.DnsLookupResponse;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.ListNetworksResponse;
import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalAttachResponse;
import io.weft.api.v1.LocalConnectRequest;
import io.weft.api.v1.LocalConnectResponse;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalDetachResponse;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalExposeRequest;
import io.weft.api.v1.LocalExposeResponse;
import io.weft.api.v1.LocalForgetRequest;
import io.weft.api.v1.LocalForgetResponse;
import io.weft.api.v1.LocalHideRequest;
import io.weft.api.v1.LocalHideResponse;
import io.weft.api.v1.LocalLaunchDnsRequest;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalPsResponse;
import io.weft.api.v1.LocalResetRequest;
import io.weft.api.v1.LocalResetResponse;
import io.weft.api.v1.LocalServiceGrpc;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.api.v1.LocalStopDnsRequest;
import io.weft.api.v1.LocalVersion;
import io.weft.api.v1.LocalVersionRequest;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.RemoveDnsRecordsResponse;
import io.weft.dataplane.daemon.LocalOps;
import io.weft.dataplane.docker.DockerTargets;
import io.weft.dataplane.proxy.ControlPlaneProxy;
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
    @Inject
    ControlPlaneProxy proxy;
    @Inject
    DockerTargets docker;

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
        call(out, () -> ops.attach(docker.resolve(request)));
    }

    @Override
    public void detach(LocalDetachRequest request, StreamObserver<LocalDetachResponse> out) {
        call(out, () -> ops.detach(docker.resolve(request)));
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
        call(out, () -> ops.ps(docker.resolve(request)));
    }

    @Override
    public void reset(LocalResetRequest request, StreamObserver<LocalResetResponse> out) {
        call(out, () -> ops.reset(request));
    }

    @Override
    public void launchDns(LocalLaunchDnsRequest request, StreamObserver<LocalDns> out) {
        call(out, ops::launchDns);
    }

    @Override
    public void stopDns(LocalStopDnsRequest request, StreamObserver<LocalDns> out) {
        call(out, ops::stopDns);
    }

    @Override
    public void dnsAdd(AddDnsRecordsRequest request, StreamObserver<AddDnsRecordsResponse> out) {
        call(out, () -> proxy.dnsAdd(request));
    }

    @Override
    public void dnsRemove(RemoveDnsRecordsRequest request, StreamObserver<RemoveDnsRecordsResponse> out) {
        call(out, () -> proxy.dnsRemove(request));
    }

    @Override
    public void dnsLookup(DnsLookupRequest request, StreamObserver<DnsLookupResponse> out) {
        call(out, () -> proxy.dnsLookup(request));
    }

    @Override
    public void dnsList(ListDnsRecordsRequest request, StreamObserver<ListDnsRecordsResponse> out) {
        call(out, () -> proxy.dnsList(request));
    }

    @Override
    public void listNetworks(ListNetworksRequest request, StreamObserver<ListNetworksResponse> out) {
        call(out, () -> proxy.listNetworks(request));
    }

    @Override
    public void ipamStatus(IpamStatusRequest request, StreamObserver<IpamStatusResponse> out) {
        call(out, () -> proxy.ipamStatus(request));
    }

    @Override
    public void version(LocalVersionRequest request, StreamObserver<LocalVersion> out) {
        call(out, proxy::version);
    }
}
