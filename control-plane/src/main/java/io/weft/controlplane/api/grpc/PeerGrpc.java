package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.ConnectResponse;
import io.weft.api.v1.ForgetRequest;
import io.weft.api.v1.ForgetResponse;
import io.weft.api.v1.ListLinksRequest;
import io.weft.api.v1.ListLinksResponse;
import io.weft.api.v1.ListTargetsRequest;
import io.weft.api.v1.ListTargetsResponse;
import io.weft.api.v1.PeerService;
import io.weft.controlplane.domain.PeerManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class PeerGrpc implements PeerService {
    @Inject
    PeerManager peers;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<ConnectResponse> connect(ConnectRequest request) {
        return calls.run(() -> {
            PeerManager.Targets t = peers.connect(request.getAddressesList(), request.getHost(), request.getReplace());
            return ConnectResponse.newBuilder().addAllTargets(t.targets()).setRevision(t.revision()).build();
        });
    }

    @Override
    public Uni<ForgetResponse> forget(ForgetRequest request) {
        return calls.run(() -> {
            PeerManager.Targets t = peers.forget(request.getAddressesList(), request.getHost());
            return ForgetResponse.newBuilder().setRemoved(t.targets().size()).setRevision(t.revision()).build();
        });
    }

    @Override
    public Uni<ListTargetsResponse> listTargets(ListTargetsRequest request) {
        return calls.run(() -> ListTargetsResponse.newBuilder().addAllTargets(peers.targets(request.getHost()))
                .setRevision(store.currentRevision()).build());
    }

    @Override
    public Uni<ListLinksResponse> listLinks(ListLinksRequest request) {
        return calls.run(() -> ListLinksResponse.newBuilder().addAllLinks(peers.links(request.getHost())).build());
    }
}
