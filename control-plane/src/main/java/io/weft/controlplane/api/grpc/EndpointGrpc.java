package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.DetachResponse;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.EndpointService;
import io.weft.api.v1.GetEndpointRequest;
import io.weft.api.v1.ListEndpointsRequest;
import io.weft.api.v1.ListEndpointsResponse;
import io.weft.controlplane.domain.EndpointManager;
import io.weft.controlplane.store.Store;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class EndpointGrpc implements EndpointService {
    @Inject
    EndpointManager endpoints;
    @Inject
    Store store;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<Endpoint> attach(AttachRequest request) {
        return calls.run(() -> endpoints.attach(request));
    }

    @Override
    public Uni<DetachResponse> detach(DetachRequest request) {
        return calls.run(() -> {
            EndpointManager.Detached detached = endpoints.detach(request);
            return DetachResponse.newBuilder().addAllDetached(detached.endpoints()).setRevision(detached.revision()).build();
        });
    }

    @Override
    public Uni<Endpoint> getEndpoint(GetEndpointRequest request) {
        return calls.run(() -> endpoints.get(request.getId()));
    }

    @Override
    public Uni<ListEndpointsResponse> listEndpoints(ListEndpointsRequest request) {
        return calls.run(() -> ListEndpointsResponse.newBuilder()
                .addAllEndpoints(endpoints.list(request.getNetwork(), request.getHost(), request.getContainerId()))
                .setRevision(store.currentRevision()).build());
    }
}
