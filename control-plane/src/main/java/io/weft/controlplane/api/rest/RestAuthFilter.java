package io.weft.controlplane.api.rest;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.weft.controlplane.api.ApiErrors;
import io.weft.controlplane.security.Role;
import io.weft.controlplane.security.Tokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Bearer-token check for /api/v1; health and metrics stay open for probes and Prometheus. */
public class RestAuthFilter {
    @Inject
    Tokens tokens;
    @Inject
    ApiErrors errors;

    @ServerRequestFilter
    public Response check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return null;
        }
        Role role = tokens.roleOf(Tokens.bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION)));
        if (role == null) {
            errors.count("rest", "UNAUTHENTICATED");
            return ErrorMapper.body(401, "UNAUTHENTICATED", "missing or wrong token: send 'Authorization: Bearer <admin token>'");
        }
        boolean adminOnly = !ctx.getMethod().equals("GET")
                && (path.startsWith("/api/v1/networks") || path.startsWith("/api/v1/hosts"));
        if (adminOnly && !role.mayDo(Role.Access.ADMIN)) {
            errors.count("rest", "PERMISSION_DENIED");
            return ErrorMapper.body(403, "PERMISSION_DENIED", "this call needs the admin token; the join token only lets data planes in");
        }
        return null;
    }
}
