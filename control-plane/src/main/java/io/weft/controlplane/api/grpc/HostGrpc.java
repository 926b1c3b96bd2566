package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.GetHostRequest;
import io.weft.api.v1.Host;
import io.weft.api.v1.HostService;
import io.weft.api.v1.ListHostsRequest;
import io.weft.api.v1.ListHostsResponse;
import io.weft.api.v1.RemoveHostRequest;
import io.weft.api.v1.RemoveHostResponse;
import io.weft.controlplane.domain.HostManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class HostGrpc implements HostService {
    @Inject
    HostManager hosts;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<ListHostsResponse> listHosts(ListHostsRequest request) {
        return calls.run(() -> ListHostsResponse.newBuilder().addAllHosts(hosts.list()).setRevision(store.currentRevision()).build());
    }

    @Override
    public Uni<Host> getHost(GetHostRequest request) {
        return calls.run(() -> hosts.get(request.getName()));
    }

    @Override
    public Uni<RemoveHostResponse> removeHost(RemoveHostRequest request) {
        return calls.run(() -> hosts.remove(request.getName()));
    }
}
