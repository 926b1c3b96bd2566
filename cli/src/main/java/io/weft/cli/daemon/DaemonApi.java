package io.weft.cli.daemon;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.weft.api.v1.LocalServiceGrpc;
import io.weft.cli.WeftException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The local API of the daemon running in this network namespace (127.0.0.1:6784, or WEFT_API):
 * one plaintext channel per command, every failure turned into a {@link WeftException} whose
 * message says what to do.
 */
public final class DaemonApi implements AutoCloseable {
    public static final String DEFAULT_ADDRESS = "127.0.0.1:6784";
    private static final long DEADLINE_SECONDS = 60;

    private final String address;
    private ManagedChannel channel;

    public DaemonApi(String address) {
        this.address = address;
    }

    /** The address from WEFT_API or the default. */
    public static DaemonApi fromEnvironment() {
        String a = System.getenv("WEFT_API");
        return new DaemonApi(a == null || a.isBlank() ? DEFAULT_ADDRESS : a.trim());
    }

    public String address() {
        return address;
    }

    private LocalServiceGrpc.LocalServiceBlockingStub stub() {
        if (channel == null) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new WeftException(WeftException.USAGE, "bad WEFT_API '" + address + "': give HOST:PORT, e.g. " + DEFAULT_ADDRESS);
            }
            channel = OkHttpChannelBuilder.forAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
                    .usePlaintext().build();
        }
        return LocalServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs one call; errors become one-line {@link WeftException}s. */
    public <T> T call(Function<LocalServiceGrpc.LocalServiceBlockingStub, T> body) {
        try {
            return body.apply(stub());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    /** Whether a daemon answers here right now. */
    public boolean reachable() {
        try {
            stub().withDeadlineAfter(2, TimeUnit.SECONDS).status(io.weft.api.v1.LocalStatusRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNAVAILABLE && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED;
        }
    }

    WeftException translate(StatusRuntimeException e) {
        Status s = e.getStatus();
        String d = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
        if (s.getCode() == Status.Code.UNAVAILABLE && (s.getCause() != null || d.contains("io exception") || d.contains("Connection refused"))) {
            return new WeftException(WeftException.NO_DAEMON, "weft is not running on this host (nothing answers at " + address
                    + "): start it with 'weft launch' (or 'weft start' after 'weft stop')");
        }
        if (s.getCode() == Status.Code.UNIMPLEMENTED) {
            return new WeftException("the daemon at " + address + " is older than this weft command (" + d
                    + "): restart it with 'weft stop' and 'weft start'");
        }
        return new WeftException(d);
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
