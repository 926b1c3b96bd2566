package io.weft.dataplane.seal;

/**
 * Sliding anti-replay window over 64-bit counters (RFC 6479, as in WireGuard): a ring of 64-bit
 * words of which one is always being recycled, so moving the window forward clears whole words
 * instead of shifting a bitmap. A counter is accepted once if it is newer than the newest seen or
 * at most {@link #WINDOW} behind it; reordering within the window is fine, duplicates and older
 * counters are refused.
 *
 * <p>Two steps, so nothing changes before the datagram authenticates: {@link #mayAccept} (cheap
 * pre-check, skips decrypting obvious replays) and, after authentication, {@link #accept}.
 * Synchronized: uncontended with the single receive thread, correct if receive ever goes
 * multi-threaded.
 */
final class ReplayWindow {
    private static final int WORDS = 64;
    private static final int RING_BITS = WORDS * Long.SIZE;
    /** Counters this far behind the newest one are still accepted (4032). */
    static final int WINDOW = RING_BITS - Long.SIZE;

    private final long[] ring = new long[WORDS];
    private long newest = -1;

    synchronized boolean mayAccept(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > newest) {
            return true;
        }
        if (newest - counter >= WINDOW) {
            return false;
        }
        return (ring[word(counter)] & bit(counter)) == 0;
    }

    /** Records {@code counter}; false if it is a replay or too old (then nothing changes). */
    synchronized boolean accept(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > newest) {
            long current = newest >> 6;
            long target = counter >>> 6;
            long words = Math.min(target - current, WORDS);
            for (long i = 1; i <= words; i++) {
                ring[(int) ((current + i) & (WORDS - 1))] = 0;
            }
            newest = counter;
        } else if (newest - counter >= WINDOW) {
            return false;
        }
        int w = word(counter);
        long b = bit(counter);
        if ((ring[w] & b) != 0) {
            return false;
        }
        ring[w] |= b;
        return true;
    }

    private static int word(long counter) {
        return (int) ((counter >>> 6) & (WORDS - 1));
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}
