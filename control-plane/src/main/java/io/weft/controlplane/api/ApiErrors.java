package io.weft.controlplane.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Maps refusals to each API's status and counts them (weft_api_errors_total{api,kind}). */
@ApplicationScoped
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public void count(String api, String kind) {
        counters.computeIfAbsent(api + "/" + kind, k -> Counter.builder("weft_api_errors")
                .description("API calls refused, by API and error kind").tag("api", api).tag("kind", kind).register(registry))
                .increment();
    }

    /** The kind and message a caller should see for any exception. */
    public WeftException classify(Throwable t) {
        if (t instanceof WeftException w) {
            return w;
        }
        if (t instanceof IllegalArgumentException) {
            return new WeftException(ErrorKind.INVALID_ARGUMENT, t.getMessage());
        }
        LOG.error("unexpected failure", t);
        return new WeftException(ErrorKind.INTERNAL, "internal error: " + t);
    }

    public StatusRuntimeException toGrpc(Throwable t) {
        WeftException w = classify(t);
        count("grpc", w.kind().name());
        return Status.fromCode(w.kind().grpc).withDescription(w.getMessage()).asRuntimeException();
    }
}
