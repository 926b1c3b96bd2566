package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void acceptsEachCounterOnceInAnyOrderWithinTheWindow() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 100; c += 2) {
            assertTrue(w.accept(c));
        }
        for (long c = 1; c < 100; c += 2) {
            assertTrue(w.accept(c), "late but within the window: " + c);
        }
        for (long c = 0; c < 100; c++) {
            assertFalse(w.mayAccept(c));
            assertFalse(w.accept(c), "duplicate " + c);
        }
    }

    @Test
    void refusesCountersOlderThanTheWindowAndAcceptsTheOldestInside() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(10_000));
        long oldestInside = 10_000 - ReplayWindow.WINDOW + 1;
        assertFalse(w.accept(oldestInside - 1), "just outside the window");
        assertTrue(w.accept(oldestInside));
        assertTrue(w.accept(9_999));
        assertFalse(w.accept(0));
        assertFalse(w.accept(-1), "negative counters never come from a sender");
    }

    @Test
    void aJumpFarAheadForgetsOnlyWhatFellOutOfTheWindow() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 5000; c++) {
            assertTrue(w.accept(c));
        }
        assertTrue(w.accept(1_000_000));
        assertTrue(w.accept(999_999), "ring slots of old counters were cleared");
        assertFalse(w.accept(1_000_000));
        assertFalse(w.accept(4999), "far behind now");
    }

    @Test
    void mayAcceptChangesNothing() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.mayAccept(5));
        assertTrue(w.mayAccept(5));
        assertTrue(w.accept(5));
        assertFalse(w.mayAccept(5));
    }
}
