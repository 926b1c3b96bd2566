package io.weft.controlplane.error;

/**
 * A refusal with a reason a user can act on. Thrown anywhere below the APIs; the
 * transaction it escapes from is rolled back, so the store is left unchanged.
 */
public class WeftException extends RuntimeException {
    private final ErrorKind kind;

    public WeftException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static WeftException invalid(String fmt, Object... args) {
        return new WeftException(ErrorKind.INVALID_ARGUMENT, String.format(fmt, args));
    }

    public static WeftException notFound(String fmt, Object... args) {
        return new WeftException(ErrorKind.NOT_FOUND, String.format(fmt, args));
    }

    public static WeftException exists(String fmt, Object... args) {
        return new WeftException(ErrorKind.ALREADY_EXISTS, String.format(fmt, args));
    }

    public static WeftException precondition(String fmt, Object... args) {
        return new WeftException(ErrorKind.FAILED_PRECONDITION, String.format(fmt, args));
    }

    public static WeftException exhausted(String fmt, Object... args) {
        return new WeftException(ErrorKind.RESOURCE_EXHAUSTED, String.format(fmt, args));
    }
}
