package io.weft.controlplane.api.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.api.v1.GetInfoRequest;
import io.weft.api.v1.SystemInfo;
import io.weft.api.v1.SystemService;
import io.weft.controlplane.ops.SystemInfoSource;
import jakarta.inject.Inject;

@GrpcService
@Blocking
public class SystemGrpc implements SystemService {
    @Inject
    SystemInfoSource info;
    @Inject
    GrpcCalls calls;

    @Override
    public Uni<SystemInfo> getInfo(GetInfoRequest request) {
        return calls.run(info::get);
    }
}
