package io.weft.controlplane.error;

import io.grpc.Status;

/** What went wrong, in terms both APIs map to their own status codes. */
public enum ErrorKind {
    INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 400),
    NOT_FOUND(Status.Code.NOT_FOUND, 404),
    ALREADY_EXISTS(Status.Code.ALREADY_EXISTS, 409),
    FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION, 409),
    RESOURCE_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED, 507),
    UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, 401),
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 403),
    UNAVAILABLE(Status.Code.UNAVAILABLE, 503),
    INTERNAL(Status.Code.INTERNAL, 500);

    public final Status.Code grpc;
    public final int http;

    ErrorKind(Status.Code grpc, int http) {
        this.grpc = grpc;
        this.http = http;
    }
}
