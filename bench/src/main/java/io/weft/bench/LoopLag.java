package io.weft.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;

/**
 * How late the generator's own event loops run a task scheduled every 100 ms. If they lag, the
 * generator (not the control plane) is what delays deltas and heartbeats; the report shows it so
 * the figures can be trusted or not.
 */
final class LoopLag {
    private static final long PERIOD_MS = 100;
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final AtomicLong windowMaxNanos = new AtomicLong();

    LoopLag(EventLoopGroup group) {
        for (EventExecutor loop : group) {
            schedule(loop);
        }
    }

    private void schedule(EventExecutor loop) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
        try {
            loop.schedule(() -> {
                long late = System.nanoTime() - due;
                maxLagNanos.accumulateAndGet(late, Math::max);
                windowMaxNanos.accumulateAndGet(late, Math::max);
                schedule(loop);
            }, PERIOD_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // the group is shutting down
        }
    }

    /** The largest lag since the previous call of this method (progress lines), milliseconds. */
    long takeWindowMaxMillis() {
        return TimeUnit.NANOSECONDS.toMillis(windowMaxNanos.getAndSet(0));
    }

    /** The largest lag since the previous call (one phase), milliseconds. */
    long takeMaxMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxLagNanos.getAndSet(0));
    }
}
