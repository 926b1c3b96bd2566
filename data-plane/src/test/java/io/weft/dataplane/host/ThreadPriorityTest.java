package io.weft.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPriorityTest {
    @Test
    void acceptsTheNiceRangeAndSaysWhatIsAllowedOtherwise() {
        assertEquals(-10, ThreadPriority.validate(-10));
        assertEquals(-20, ThreadPriority.validate(-20));
        assertEquals(19, ThreadPriority.validate(19));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThreadPriority.validate(-21));
        assertTrue(e.getMessage().contains("WEFT_FORWARDING_NICE") && e.getMessage().contains("-20..19"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.validate(20));
    }

    @Test
    void zeroLeavesTheThreadAlone() {
        assertTrue(ThreadPriority.applyToCurrentThread(0, "test thread"));
    }

    @Test
    void lowersOnlyTheCallingThreadsPriority() throws Exception {
        // A lower priority (a positive nice) needs no privilege, so this runs anywhere.
        AtomicBoolean applied = new AtomicBoolean();
        AtomicInteger niceSeen = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = new Thread(() -> {
            applied.set(ThreadPriority.applyToCurrentThread(5, "test thread"));
            niceSeen.set(niceOfThisThread());
        });
        t.start();
        t.join(5_000);
        assertTrue(applied.get());
        assertEquals(5, niceSeen.get());
        assertEquals(0, niceOfThisThread(), "the calling thread of the test keeps its priority");
    }

    /** Field 19 of /proc/thread-self/stat is the nice value. */
    private static int niceOfThisThread() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
