package io.weft.dataplane.seal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to (monotonic and wall time together). */
final class FakeClock implements SealClock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong epoch = new AtomicLong(1_790_000_000_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochNanos() {
        return epoch.get();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        epoch.addAndGet(d.toNanos());
    }
}
