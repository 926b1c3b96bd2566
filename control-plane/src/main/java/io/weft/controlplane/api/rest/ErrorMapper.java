package io.weft.controlplane.api.rest;

import io.weft.controlplane.api.ApiErrors;
import io.weft.controlplane.error.WeftException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every REST failure becomes {"error": {"code": "...", "message": "..."}} with a fitting status. */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
    @Inject
    ApiErrors errors;

    @Override
    public Response toResponse(Throwable t) {
        if (t instanceof WebApplicationException w && !(t.getCause() instanceof WeftException)) {
            int status = w.getResponse().getStatus();
            errors.count("rest", "HTTP_" + status);
            return body(status, status == 404 ? "NOT_FOUND" : status == 405 ? "METHOD_NOT_ALLOWED" : "BAD_REQUEST",
                    status == 404 ? "no such API path; see /api/v1 in the README" : w.getMessage());
        }
        WeftException e = errors.classify(t instanceof WebApplicationException && t.getCause() != null ? t.getCause() : t);
        errors.count("rest", e.kind().name());
        return body(e.kind().http, e.kind().name(), e.getMessage());
    }

    public static Response body(int status, String code, String message) {
        String json = "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message == null ? "" : message) + "}}";
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(json).build();
    }

    /** A JSON string literal; the error body is the one JSON here that is not a weft.v1 message. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
