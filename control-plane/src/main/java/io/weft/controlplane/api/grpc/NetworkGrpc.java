package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.DeleteNetworkRequest;
import io.weft.api.v1.DeleteNetworkResponse;
import io.weft.api.v1.GetNetworkRequest;
import io.weft.api.v1.ListNetworksRequest;
import io.weft.api.v1.ListNetworksResponse;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkService;
import io.weft.controlplane.domain.NetworkManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class NetworkGrpc implements NetworkService {
    @Inject
    NetworkManager networks;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<Network> createNetwork(CreateNetworkRequest request) {
        return calls.run(() -> networks.create(request));
    }

    @Override
    public Uni<Network> getNetwork(GetNetworkRequest request) {
        return calls.run(() -> networks.get(request.getName()));
    }

    @Override
    public Uni<ListNetworksResponse> listNetworks(ListNetworksRequest request) {
        return calls.run(() -> ListNetworksResponse.newBuilder().addAllNetworks(networks.list())
                .setRevision(store.currentRevision()).build());
    }

    @Override
    public Uni<DeleteNetworkResponse> deleteNetwork(DeleteNetworkRequest request) {
        return calls.run(() -> DeleteNetworkResponse.newBuilder().setRevision(networks.delete(request.getName())).build());
    }
}
