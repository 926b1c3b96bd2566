package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;

/** Underlay endpoints: "ip" or "ip:port", normalised to "ip:port". */
class EndpointsTest {
    @Test
    void bareAddressGetsTheDefaultPort() {
        assertEquals("198.18.0.2:6783", Endpoints.normalize("198.18.0.2", "peer"));
        assertEquals(6783, Endpoints.DEFAULT_PORT);
    }

    @ParameterizedTest
    @CsvSource({ "198.18.0.2:6783, 198.18.0.2:6783", "198.18.0.2:1, 198.18.0.2:1", "198.19.255.254:65535, 198.19.255.254:65535",
            "198.18.0.2:7000, 198.18.0.2:7000" })
    void addressWithPortIsKept(String in, String out) {
        assertEquals(out, Endpoints.normalize(in, "peer"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "198.18.0.2:0", "198.18.0.2:65536", "198.18.0.2:-1", "198.18.0.2:abc", "198.18.0.2:", "198.18.0.2:99999999999",
            "198.18.0.2: 80" })
    void invalidPortsAreRefused(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Endpoints.normalize(text, "peer address"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("peer address '" + text + "' has an invalid port"), e.getMessage());
        assertTrue(e.getMessage().contains("1..65535"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "198.18.0.256", "198.18.0", "peer.example", "peer.example:6783", "[::1]:6783", "::1", "198.18.0.2:80:80" })
    void invalidAddressesAreRefused(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Endpoints.normalize(text, "peer address"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("peer address"), e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { " " })
    void emptyIsRefused(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Endpoints.normalize(text, "peer address"));
        assertTrue(e.getMessage().contains("peer address is empty"), e.getMessage());
    }
}
