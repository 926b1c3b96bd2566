package io.weft.dataplane.seal;

/**
 * Time for the sealing layer, injectable so re-keying, retransmission and expiry are testable
 * without sleeping: a monotonic clock for every timer and the wall clock only for the handshake
 * timestamps (TAI64N) that must survive restarts.
 */
public interface SealClock {
    SealClock SYSTEM = new SealClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    };

    long nanoTime();

    /** Wall-clock nanoseconds since 1970-01-01T00:00Z. */
    long epochNanos();
}
