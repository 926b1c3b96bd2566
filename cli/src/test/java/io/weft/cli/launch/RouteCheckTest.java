package io.weft.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.cli.addr.Ipv4;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteCheckTest {
    static final Ipv4.Cidr RANGE = Ipv4.Cidr.parse("100.96.0.0/12");

    @Test
    void aRouteInsideTheRangeIsNamed() {
        List<String> routes = List.of("default via 198.18.0.1 dev eth0", "198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.11",
                "100.100.0.0/16 dev tun0 scope link");
        assertEquals(Optional.of("100.100.0.0/16 dev tun0 scope link"), RouteCheck.conflict(RANGE, routes));
    }

    @Test
    void aRouteCoveringTheRangeIsNamed() {
        assertEquals(Optional.of("100.64.0.0/10 via 198.18.0.1 dev eth0"),
                RouteCheck.conflict(RANGE, List.of("100.64.0.0/10 via 198.18.0.1 dev eth0")));
    }

    @Test
    void hostRoutesAndTypedRoutesCount() {
        assertEquals(Optional.of("blackhole 100.97.0.1"), RouteCheck.conflict(RANGE, List.of("blackhole 100.97.0.1")));
    }

    @Test
    void defaultRouteWeftBridgesAndOtherRangesDoNot() {
        assertEquals(Optional.empty(), RouteCheck.conflict(RANGE, List.of("default via 198.18.0.1 dev eth0",
                "100.96.0.0/12 dev weft-1 proto kernel scope link src 100.96.0.3", "100.112.0.0/12 dev eth1", "198.18.0.0/15 dev eth0", "")));
    }
}
