package io.weft.cli;

/**
 * A failure the user can act on: its message is the one line printed after "weft: " on stderr
 * (what went wrong and what to do), its exit code what scripts see.
 */
public class WeftException extends RuntimeException {
    /** The operation failed (daemon error, process did not start, ...). */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The daemon could not be reached. */
    public static final int NO_DAEMON = 3;

    private final int exitCode;

    public WeftException(String message) {
        this(FAILED, message);
    }

    public WeftException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
