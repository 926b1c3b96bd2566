package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.ClaimRequest;
import io.weft.api.v1.IpamService;
import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListAllocationsRequest;
import io.weft.api.v1.ListAllocationsResponse;
import io.weft.api.v1.ReleaseRequest;
import io.weft.api.v1.ReleaseResponse;
import io.weft.controlplane.domain.IpamManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class IpamGrpc implements IpamService {
    @Inject
    IpamManager ipam;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<Allocation> allocate(AllocateRequest request) {
        return calls.run(() -> ipam.allocate(request));
    }

    @Override
    public Uni<Allocation> claim(ClaimRequest request) {
        return calls.run(() -> ipam.claim(request));
    }

    @Override
    public Uni<ReleaseResponse> release(ReleaseRequest request) {
        return calls.run(() -> ReleaseResponse.newBuilder().setRevision(ipam.release(request)).build());
    }

    @Override
    public Uni<ListAllocationsResponse> listAllocations(ListAllocationsRequest request) {
        return calls.run(() -> ListAllocationsResponse.newBuilder().addAllAllocations(ipam.list(request.getNetwork(), request.getHost()))
                .setRevision(store.currentRevision()).build());
    }

    @Override
    public Uni<IpamStatusResponse> status(IpamStatusRequest request) {
        return calls.run(() -> IpamStatusResponse.newBuilder().addAllNetworks(ipam.status(request.getNetwork())).build());
    }
}
