package io.weft.controlplane.security;

import java.util.Set;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.weft.controlplane.api.ApiErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Checks the bearer token of every weft.v1 call before it reaches a service. */
@GlobalInterceptor
@ApplicationScoped
public class GrpcAuthInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Calls that change what every host sees, or remove hosts: admin only. */
    private static final Set<String> ADMIN_ONLY = Set.of(
            "weft.v1.NetworkService/CreateNetwork",
            "weft.v1.NetworkService/DeleteNetwork",
            "weft.v1.HostService/RemoveHost");

    @Inject
    Tokens tokens;
    @Inject
    ApiErrors errors;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!method.startsWith("weft.v1.")) {
            return next.startCall(call, headers); // reflection and health describe, they change nothing
        }
        Role role = tokens.roleOf(Tokens.bearer(headers.get(AUTHORIZATION)));
        if (role == null) {
            errors.count("grpc", "UNAUTHENTICATED");
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "missing or wrong token: send 'authorization: Bearer <admin or join token>' metadata"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Role.Access needed = ADMIN_ONLY.contains(method) ? Role.Access.ADMIN : Role.Access.AGENT;
        if (!role.mayDo(needed)) {
            errors.count("grpc", "PERMISSION_DENIED");
            call.close(Status.PERMISSION_DENIED.withDescription(method + " needs the admin token; the join token only lets data planes in"),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
