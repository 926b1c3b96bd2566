package io.weft.bench;

/** Percentiles of a sorted array (nearest-rank), in the unit the values are in. */
final class Stats {
    private Stats() {
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    static String ms(long nanos) {
        return String.format("%.1f ms", millis(nanos));
    }

    /** "p50 x, p99 y, max z" of nanosecond values. */
    static String summary(long[] sorted) {
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format("p50 %s, p99 %s, max %s (n=%d)", ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms(sorted[sorted.length - 1]), sorted.length);
    }
}
