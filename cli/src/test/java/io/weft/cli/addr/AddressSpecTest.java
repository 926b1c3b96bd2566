package io.weft.cli.addr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.api.v1.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressSpecTest {
    static final List<Network> NETS = List.of(
            Network.newBuilder().setName("default").setCidr("100.96.0.0/12").build(),
            Network.newBuilder().setName("blue").setCidr("100.64.1.0/24").build());

    @Test
    void netNameAllocatesInThatNetwork() {
        AddressSpec s = AddressSpec.parse("net:blue");
        assertEquals("", s.ip());
        assertEquals("blue", s.networkName(NETS));
        assertEquals("", AddressSpec.parse("net:default").networkName(NETS), "net:default is the control plane's default");
    }

    @Test
    void netCidrNamesTheNetworkWithThatRange() {
        assertEquals("blue", AddressSpec.parse("net:100.64.1.0/24").networkName(NETS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressSpec.parse("net:100.64.9.0/24").networkName(NETS));
        assertTrue(e.getMessage().contains("100.64.9.0/24") && e.getMessage().contains("blue 100.64.1.0/24"), e.getMessage());
    }

    @Test
    void addressWithPrefixClaimsItInTheNetworkOfThatBlock() {
        AddressSpec s = AddressSpec.parse("100.64.1.7/24");
        assertEquals("100.64.1.7", s.ip());
        assertEquals("blue", s.networkName(NETS));
    }

    @Test
    void bareAddressFindsTheNetworkContainingIt() {
        assertEquals("blue", AddressSpec.parse("100.64.1.9").networkName(NETS));
        assertEquals("default", AddressSpec.parse("100.100.0.1").networkName(NETS));
        assertThrows(IllegalArgumentException.class, () -> AddressSpec.parse("100.65.0.1").networkName(NETS));
    }

    @Test
    void malformedArgumentsSayWhatIsExpected() {
        for (String bad : List.of("100.64.1", "100.64.1.300", "net:", "100.64.1.0/33", "net:100.64.1.0", "web")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("like") || e.getMessage().contains("net:"), e.getMessage());
        }
    }

    @Test
    void cidrArithmetic() {
        Ipv4.Cidr c = Ipv4.Cidr.parse("100.96.3.4/12");
        assertEquals("100.96.0.0/12", c.toString());
        assertEquals("100.111.255.255", Ipv4.format(c.last()));
        assertTrue(c.overlaps(Ipv4.Cidr.parse("100.100.0.0/16")));
        assertTrue(Ipv4.Cidr.parse("0.0.0.0/0").overlaps(c));
        assertTrue(!c.overlaps(Ipv4.Cidr.parse("100.112.0.0/12")));
    }
}
