package io.weft.controlplane.api.grpc;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.weft.controlplane.api.ApiErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs a (blocking) domain call as a Uni, turning refusals into gRPC statuses. */
@ApplicationScoped
public class GrpcCalls {
    @Inject
    ApiErrors errors;

    public <T> Uni<T> run(Supplier<T> body) {
        try {
            return Uni.createFrom().item(body.get());
        } catch (Throwable t) {
            return Uni.createFrom().failure(errors.toGrpc(t));
        }
    }
}
