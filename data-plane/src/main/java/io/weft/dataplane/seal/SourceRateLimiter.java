package io.weft.dataplane.seal;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-source-address token buckets for handshake datagrams, checked on the receive thread before
 * anything is copied or queued, so one flooding address cannot fill the worker's queue. Bounded:
 * at {@link #MAX_SOURCES} it forgets sources whose bucket has refilled (they lose nothing), and
 * failing that the least recently seen one.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 4096;
    private final double rate;
    private final int burst;
    private final LinkedHashMap<InetAddress, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true);

    SourceRateLimiter(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    /** {@code source} null (unknown) shares one bucket. */
    synchronized boolean admit(InetAddress source, long nowNanos) {
        TokenBucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= MAX_SOURCES) {
                evict(nowNanos);
            }
            b = new TokenBucket(rate, burst, nowNanos);
            buckets.put(source, b);
        }
        return b.take(nowNanos);
    }

    private void evict(long nowNanos) {
        buckets.values().removeIf(b -> b.full(nowNanos));
        if (buckets.size() >= MAX_SOURCES) {
            Iterator<Map.Entry<InetAddress, TokenBucket>> it = buckets.entrySet().iterator();
            it.next();
            it.remove();
        }
    }
}
