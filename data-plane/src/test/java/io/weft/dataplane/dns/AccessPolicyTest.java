package io.weft.dataplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private final DnsZone zone = ZoneFixtures.zone(); // 100.64.1.0/24 and 100.64.2.0/24

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void containersOfEveryNetworkAndTheHostItselfMayAskNobodyElse() throws Exception {
        List<InetAddress> listening = List.of(ip("100.64.1.2"), ip("198.18.0.11"));
        assertTrue(AccessPolicy.allowed(ip("100.64.1.77"), listening, zone));
        assertTrue(AccessPolicy.allowed(ip("100.64.2.5"), listening, zone));
        assertTrue(AccessPolicy.allowed(ip("127.0.0.1"), listening, zone));
        assertTrue(AccessPolicy.allowed(ip("198.18.0.11"), listening, zone), "our own extra listen address");
        assertFalse(AccessPolicy.allowed(ip("198.18.0.1"), listening, zone), "the underlay");
        assertFalse(AccessPolicy.allowed(ip("100.64.3.1"), listening, zone), "overlay range outside every network");
        assertFalse(AccessPolicy.allowed(ip("2001:db8::1"), listening, zone));
    }

    @Test
    void upstreamServersThatAreOurselvesAreSkipped() throws Exception {
        InetSocketAddress self = new InetSocketAddress(ip("100.64.1.2"), 53);
        InetSocketAddress other = new InetSocketAddress(ip("198.18.0.53"), 53);
        InetSocketAddress selfOtherPort = new InetSocketAddress(ip("100.64.1.2"), 5353);
        assertEquals(List.of(other, selfOtherPort),
                AccessPolicy.upstreamWithoutSelf(List.of(self, other, selfOtherPort), List.of(ip("100.64.1.2")), 53));
    }
}
