package io.weft.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MtuTest {
    @Test
    void defaultOverlayMtuLeavesRoomForEverything() {
        assertEquals(1394, Mtu.DEFAULT);
    }

    @Test
    void aCappedSuperFrameIsOneGsoSendEvenInTheWorstCase() {
        int segs = Mtu.gsoMaxSegments(Mtu.DEFAULT);
        assertEquals(44, segs);
        int worstDatagram = Mtu.UNDERLAY - Mtu.OUTER_IPV4 - Mtu.UDP;
        assertTrue(segs * worstDatagram <= Mtu.GSO_PAYLOAD);
        assertTrue((segs + 1) * worstDatagram > Mtu.GSO_PAYLOAD);
        assertEquals(1, Mtu.gsoMaxSegments(65_000));
    }
}
