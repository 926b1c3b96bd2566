package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;

class CidrTest {
    static long ip(String s) {
        return Ipv4.parse(s, "address");
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s, "CIDR");
    }

    static WeftException refused(String text) {
        WeftException e = assertThrows(WeftException.class, () -> Cidr.parse(text, "test CIDR"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("test CIDR"), e.getMessage());
        return e;
    }

    @Test
    void parsesBaseAndPrefix() {
        Cidr c = cidr("100.96.0.0/12");
        assertEquals(ip("100.96.0.0"), c.base());
        assertEquals(12, c.prefix());
        assertEquals("100.96.0.0/12", c.toString());
    }

    @Test
    void hostBitsSetAreRefusedSuggestingTheRightCidr() {
        WeftException e = refused("100.64.1.5/24");
        assertTrue(e.getMessage().contains("'100.64.1.5/24' has host bits set"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 100.64.1.0/24?"), e.getMessage());
    }

    @Test
    void hostBitsSuggestionUsesThePrefix() {
        assertTrue(refused("100.97.0.0/12").getMessage().contains("did you mean 100.96.0.0/12?"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.0.0.0/8", "100.64.0.0/10", "100.64.1.0/24", "100.64.1.4/30" })
    void prefixesFrom8To30AreAccepted(String text) {
        assertEquals(text, cidr(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.0.0.0/7", "100.64.1.0/31", "100.64.1.1/32", "0.0.0.0/0", "100.64.0.0/33", "100.64.0.0/-8" })
    void prefixesOutside8To30AreRefused(String text) {
        WeftException e = refused(text);
        assertTrue(e.getMessage().contains("between /8 and /30"), e.getMessage());
    }

    @Test
    void missingPrefixIsRefused() {
        assertTrue(refused("100.64.1.0").getMessage().contains("no prefix length"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.1.0/", "100.64.1.0/x", "100.64.1.0/24/8", "100.64.1.0/ 24", "100.64.1.0/2 4" })
    void malformedPrefixIsRefused(String text) {
        assertTrue(refused(text).getMessage().contains("malformed prefix length"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = { "100.64.1/24", "banana/24", "256.0.0.0/8", "/24" })
    void malformedAddressIsRefused(String text) {
        refused(text);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "  " })
    void emptyIsRefused(String text) {
        assertTrue(refused(text).getMessage().contains("empty"));
    }

    @ParameterizedTest
    @CsvSource({ "100.64.1.0/24, 100.64.1.0, 100.64.1.255, 254", "100.64.1.4/30, 100.64.1.4, 100.64.1.7, 2",
            "100.96.0.0/12, 100.96.0.0, 100.111.255.255, 1048574", "100.0.0.0/8, 100.0.0.0, 100.255.255.255, 16777214" })
    void firstLastAndUsable(String text, String first, String last, long usable) {
        Cidr c = cidr(text);
        assertEquals(ip(first), c.first());
        assertEquals(ip(last), c.last());
        assertEquals(usable, c.usable());
    }

    @Test
    void containsIncludesTheEdges() {
        Cidr c = cidr("100.64.1.0/24");
        assertTrue(c.contains(ip("100.64.1.0")));
        assertTrue(c.contains(ip("100.64.1.128")));
        assertTrue(c.contains(ip("100.64.1.255")));
        assertFalse(c.contains(ip("100.64.0.255")));
        assertFalse(c.contains(ip("100.64.2.0")));
    }

    @Test
    void onlyInnerAddressesAreAssignable() {
        Cidr c = cidr("100.64.1.0/24");
        assertFalse(c.isAssignable(ip("100.64.1.0")));
        assertTrue(c.isAssignable(ip("100.64.1.1")));
        assertTrue(c.isAssignable(ip("100.64.1.254")));
        assertFalse(c.isAssignable(ip("100.64.1.255")));
        assertFalse(c.isAssignable(ip("100.64.2.1")));
    }

    @ParameterizedTest
    @CsvSource({ "100.64.1.0/24, 100.64.1.0/24, true", "100.64.1.0/24, 100.64.1.128/25, true", "100.64.0.0/10, 100.96.0.0/12, true",
            "100.64.1.0/24, 100.64.2.0/24, false", "100.64.1.0/25, 100.64.1.128/25, false", "100.64.1.252/30, 100.64.2.0/30, false",
            "100.64.0.0/16, 100.65.0.0/16, false", "100.64.0.0/15, 100.65.255.252/30, true" })
    void overlapsIsSymmetric(String a, String b, boolean expected) {
        assertEquals(expected, cidr(a).overlaps(cidr(b)), a + " vs " + b);
        assertEquals(expected, cidr(b).overlaps(cidr(a)), b + " vs " + a);
    }
}
