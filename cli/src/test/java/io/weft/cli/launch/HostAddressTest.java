package io.weft.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostAddressTest {
    @Test
    void firstGlobalAddressOfANonWeftInterface() {
        String ip = "5: weft-1    inet 100.96.0.2/12 brd 100.111.255.255 scope global weft-1\\       valid_lft forever preferred_lft forever\n"
                + "7: eth0    inet 198.18.0.11/24 scope global eth0\\       valid_lft forever preferred_lft forever\n";
        assertEquals("198.18.0.11", HostAddress.first(ip));
    }

    @Test
    void loopbackWhenThereIsNone() {
        assertEquals("127.0.0.1", HostAddress.first(""));
    }
}
