package io.weft.dataplane.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * weft_dataplane_dns_queries_total{type,rcode}, weft_dataplane_dns_dropped_total{reason} and the
 * weft_dataplane_dns_latency_seconds histogram (tag answer=local|upstream). Meters are looked up
 * once per label combination and cached, so counting a query is a map read and an add.
 */
public final class DnsMetrics {
    /** Query types with their own label; the rest are "OTHER" (bounded label cardinality whatever clients send). */
    private static final int[] NAMED_TYPES = {Type.A, Type.AAAA, Type.PTR, Type.MX, Type.SRV, Type.TXT, Type.ANY, Type.SOA,
        Type.NS, Type.CNAME, Type.HTTPS, Type.SVCB};
    private static final int OTHER = NAMED_TYPES.length;
    private static final int NONE = OTHER + 1;
    /** Answer codes 0..23 (the 4 header bits and the OPT's extension as far as BADVERS..BADCOOKIE). */
    private static final int RCODES = 24;

    private final MeterRegistry registry;
    /** [type index][rcode], created on first use: counting is two array reads, no boxing, no hashing. */
    private final Counter[][] queries = new Counter[NONE + 1][RCODES];
    private final Map<String, Counter> drops = new ConcurrentHashMap<>();
    private final Timer local;
    private final Timer upstream;

    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.local = latency("local");
        this.upstream = latency("upstream");
    }

    private Timer latency(String answer) {
        return Timer.builder("weft.dataplane.dns.latency").description("Time from a query's arrival to its answer being sent")
                .tag("answer", answer).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    /** A query answered ({@code qtype} -1 when it had no readable question). */
    public void answered(int qtype, int rcode, boolean fromUpstream, long nanos) {
        int t = typeIndex(qtype);
        int r = rcode >= 0 && rcode < RCODES ? rcode : Rcode.SERVFAIL;
        Counter c = queries[t][r];
        if (c == null) {
            c = register(t, r);
        }
        c.increment();
        (fromUpstream ? upstream : local).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static int typeIndex(int qtype) {
        if (qtype < 0) {
            return NONE;
        }
        for (int i = 0; i < NAMED_TYPES.length; i++) {
            if (NAMED_TYPES[i] == qtype) {
                return i;
            }
        }
        return OTHER;
    }

    private synchronized Counter register(int t, int r) {
        Counter c = queries[t][r];
        if (c == null) {
            c = Counter.builder("weft.dataplane.dns.queries").description("DNS queries answered, by query type and answer code")
                    .tag("type", t == NONE ? "NONE" : t == OTHER ? "OTHER" : Type.string(NAMED_TYPES[t]))
                    .tag("rcode", Rcode.string(r)).register(registry);
            queries[t][r] = c;
        }
        return c;
    }

    /** A packet not answered: too short to carry an id, a response, or a client outside Weft's networks. */
    public void dropped(String reason) {
        drops.computeIfAbsent(reason, r -> Counter.builder("weft.dataplane.dns.dropped")
                .description("DNS packets dropped unanswered, by reason").tag("reason", r).register(registry)).increment();
    }

    public double count(String type, String rcode) {
        Counter c = registry.find("weft.dataplane.dns.queries").tag("type", type).tag("rcode", rcode).counter();
        return c == null ? 0 : c.count();
    }

    public double dropCount(String reason) {
        Counter c = registry.find("weft.dataplane.dns.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
