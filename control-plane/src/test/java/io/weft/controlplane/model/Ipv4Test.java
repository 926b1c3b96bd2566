package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;

class Ipv4Test {
    @Test
    void parsesADottedQuad() {
        assertEquals((100L << 24) | (96L << 16) | 5, Ipv4.parse("100.96.0.5", "address"));
    }

    @Test
    void parsesTheExtremes() {
        assertEquals(0L, Ipv4.parse("0.0.0.0", "address"));
        assertEquals(0xffffffffL, Ipv4.parse("255.255.255.255", "address"));
    }

    @Test
    void formatsADottedQuad() {
        assertEquals("100.96.0.5", Ipv4.format((100L << 24) | (96L << 16) | 5));
        assertEquals("255.255.255.255", Ipv4.format(0xffffffffL));
        assertEquals("0.0.0.0", Ipv4.format(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.0.1", "198.18.255.254", "100.127.255.255", "198.19.0.0", "100.100.100.100" })
    void formatReversesParse(String text) {
        assertEquals(text, Ipv4.format(Ipv4.parse(text, "address")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.3", "256.1.1.1", "0100.64.3.4", "100.64.3.04", " 100.64.3.4", "100.64.3.4 ", "100.64.3.4.5", "a.b.c.d", "100.64.3.",
            ".100.64.3", "1..2.3", "1234.1.1.1", "-100.64.3.4", "+100.64.3.4", "100.64.3.4/24", "100.64.3.4:80", "0x100.64.3.4", "100.64.3.256",
            "100.64.3.4.", "...", ".", "1", "１.2.3.4" })
    void rejectsMalformedAddresses(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Ipv4.parse(text, "test address"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("test address '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("not an IPv4 address"), e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsEmpty(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Ipv4.parse(text, "test address"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("test address is empty"), e.getMessage());
    }
}
