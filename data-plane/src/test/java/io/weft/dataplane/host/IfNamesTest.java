package io.weft.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IfNamesTest {
    @Test
    void ourNamesAndOnlyOurs() {
        assertEquals("weft-16777215", IfNames.bridge(16777215));
        assertTrue(IfNames.bridge(16777215).length() <= 15);
        assertTrue(IfNames.tap(16777215).length() <= 15);
        String v = IfNames.vethHost("netns:c1", "blue");
        assertEquals(13, v.length());
        assertEquals(v, IfNames.vethHost("netns:c1", "blue"), "stable");
        assertNotEquals(v, IfNames.vethHost("netns:c1", "red"));
        for (String s : List.of(IfNames.bridge(7), IfNames.tap(7), v, IfNames.vethGuest("x", "y"))) {
            assertTrue(IfNames.isOurs(s), s);
        }
        for (String s : List.of("weft", "weave", "eth0", "weftx", "weft-", "weft-abc", "weftvZZZZZZZZ", "docker0", "weft-1-x")) {
            assertFalse(IfNames.isOurs(s), s);
        }
        assertTrue(IfNames.isTap("weftt7"));
        assertFalse(IfNames.isTap("weft-7"));
    }

    @Test
    void parsesIpLinkOutput() {
        String out = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n"
                + "5: weftv0a1b2c3d@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1394 master weft-2\n"
                + "7: weft-2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1394\n";
        assertEquals(List.of("lo", "weftv0a1b2c3d", "weft-2"), HostPlumbing.parseLinkNames(out));
    }

    @Test
    void mtuLeavesRoomForEverything() {
        assertEquals(1394, Mtu.DEFAULT);
        assertEquals(1500, Mtu.DEFAULT + 20 + 8 + 16 + 16 + 32 + 14);
    }

    @Test
    void targets() {
        assertEquals(Target.Kind.NETNS, Target.parse("netns:c1").kind());
        assertEquals("pid:42", Target.parse("pid:42").toString());
        assertThrows(IllegalArgumentException.class, () -> Target.parse("docker:abc"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("netns:../etc"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("pid:x"));
    }
}
