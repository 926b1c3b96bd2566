package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;

class MacsTest {
    @Test
    void normalizeLowerCases() {
        assertEquals("0e:00:64:60:ab:cd", Macs.normalize("0E:00:64:60:AB:CD"));
    }

    @Test
    void normalizeKeepsAValidMac() {
        assertEquals("02:42:64:60:00:05", Macs.normalize("02:42:64:60:00:05"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "0e:00:64:60:00", "0e:00:64:60:00:05:06", "0e-00-64-60-00-05", "0e00.6460.0005", "0e:00:64:60:00:5",
            "0e:00:64:60:00:0g", " 0e:00:64:60:00:05", "0e:00:64:60:00:05 ", "0e::64:60:00:05" })
    void malformedMacsAreRefused(String mac) {
        WeftException e = assertThrows(WeftException.class, () -> Macs.normalize(mac));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("MAC '" + mac + "' is malformed"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "01:00:5e:00:00:01", "33:33:00:00:00:01", "ff:ff:ff:ff:ff:ff", "03:00:00:00:00:00", "0F:00:00:00:00:00" })
    void multicastMacsAreRefused(String mac) {
        WeftException e = assertThrows(WeftException.class, () -> Macs.normalize(mac));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("multicast"), e.getMessage());
        assertTrue(e.getMessage().contains(mac), e.getMessage());
    }

    @Test
    void fromIpEmbedsTheAddress() {
        assertEquals("0e:00:64:60:00:05", Macs.fromIp(Ipv4.parse("100.96.0.5", "a")));
        assertEquals("0e:00:ff:ff:ff:fe", Macs.fromIp(Ipv4.parse("255.255.255.254", "a")));
    }

    @Test
    void fromIpIsUnicastAndLocallyAdministered() {
        String mac = Macs.fromIp(Ipv4.parse("100.64.1.1", "a"));
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        assertEquals(0, first & 1, "unicast");
        assertEquals(2, first & 2, "locally administered");
        assertEquals(mac, Macs.normalize(mac), "a derived MAC passes validation");
    }

    @Test
    void fromIpDiffersForDifferentAddresses() {
        assertTrue(!Macs.fromIp(Ipv4.parse("100.64.1.1", "a")).equals(Macs.fromIp(Ipv4.parse("100.64.1.2", "a"))));
    }
}
