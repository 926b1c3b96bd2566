package io.weft.controlplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.function.Executable;

import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;

class NamesTest {
    static String invalid(Executable call, String... fragments) {
        WeftException e = assertThrows(WeftException.class, call);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
        return e.getMessage();
    }

    // ---- resource names -------------------------------------------------------------------

    @Test
    void resourceNameIsLowerCased() {
        assertEquals("web-1", Names.resourceName("Web-1", "network"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "default", "net-2", "0", "a1-b2-c3" })
    void validResourceNamesAreKept(String name) {
        assertEquals(name, Names.resourceName(name, "network"));
    }

    @Test
    void resourceNameOf63CharactersIsAccepted() {
        assertEquals("n".repeat(63), Names.resourceName("n".repeat(63), "network"));
    }

    @Test
    void resourceNameOf64CharactersIsRefused() {
        invalid(() -> Names.resourceName("n".repeat(64), "network"), "network name", "64 characters", "at most 63");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-web", "web-", "-", "we b", "web_1", "web.1", "wé", "web!", "web\n" })
    void invalidResourceNamesAreRefused(String name) {
        invalid(() -> Names.resourceName(name, "host"), "host name", "invalid", "'-'");
    }

    /** U+212A KELVIN SIGN lower-cases to ASCII 'k': validation must look at what was sent, not only at its lower case. */
    @Test
    void nonAsciiLetterThatLowerCasesToAsciiIsRefusedInAResourceName() {
        invalid(() -> Names.resourceName("\u212Aube", "network"), "network name", "invalid");
    }

    @Test
    void nonAsciiLetterThatLowerCasesToAsciiIsRefusedInADnsName() {
        invalid(() -> Names.dnsName("\u212Aube.example", null), "DNS name", "invalid");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyResourceNameIsRefused(String name) {
        invalid(() -> Names.resourceName(name, "host"), "host name is empty");
    }

    // ---- DNS names ------------------------------------------------------------------------

    @Test
    void singleLabelGetsTheDefaultDomain() {
        assertEquals("web.weave.local", Names.dnsName("web", null));
        assertEquals("web.weave.local", Names.dnsName("web", ""));
    }

    @Test
    void singleLabelGetsTheGivenDomain() {
        assertEquals("web.corp.example", Names.dnsName("web", "Corp.Example."));
    }

    @Test
    void qualifiedNameKeepsItsDomain() {
        assertEquals("web.other.example", Names.dnsName("web.other.example", "corp.example"));
    }

    @Test
    void trailingDotIsDropped() {
        assertEquals("web.weave.local", Names.dnsName("web.weave.local.", null));
    }

    @Test
    void singleLabelWithTrailingDotIsAbsolute() {
        assertEquals("web", Names.dnsName("web.", "corp.example"));
    }

    @Test
    void dnsNamesAreCaseFolded() {
        assertEquals("web.weave.local", Names.dnsName("WeB.WEAVE.Local", null));
        assertEquals("web.weave.local", Names.dnsName("WEB", null));
    }

    @Test
    void labelOf63CharactersIsAccepted() {
        String label = "l".repeat(63);
        assertEquals(label + ".weave.local", Names.dnsName(label, null));
    }

    @Test
    void labelOf64CharactersIsRefused() {
        invalid(() -> Names.dnsName("l".repeat(64) + ".example", null), "label of 64 characters", "at most 63");
    }

    @Test
    void singleLabelOf64CharactersIsRefused() {
        invalid(() -> Names.dnsName("l".repeat(64), null), "label of 64 characters");
    }

    /** A name of {@code length} characters made of labels of 63. */
    static String fqdn(int length) {
        char[] c = "a".repeat(length).toCharArray();
        for (int i = 63; i < c.length - 1; i += 64) {
            c[i] = '.';
        }
        return new String(c);
    }

    @Test
    void nameOf253CharactersIsAccepted() {
        String n = fqdn(253);
        assertEquals(n, Names.dnsName(n, null));
        assertEquals(n, Names.dnsName(n + ".", null), "the trailing dot does not count");
    }

    @Test
    void nameOf254CharactersIsRefused() {
        invalid(() -> Names.dnsName(fqdn(254), null), "254 characters", "at most 253");
    }

    @Test
    void appendingTheDomainCountsTowardsTheLimit() {
        String domain = fqdn(200);
        invalid(() -> Names.dnsName("l".repeat(60), domain), "261 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-web.example", "web-.example", "web.-example", "we_b.example", "we b.example", "a..b", ".web", "web..",
            "wéb.example", "*.example", "web/1.example" })
    void invalidDnsNamesAreRefused(String name) {
        invalid(() -> Names.dnsName(name, null), "DNS name", "invalid");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "   " })
    void emptyDnsNameIsRefused(String name) {
        invalid(() -> Names.dnsName(name, null), "DNS name is empty");
    }

    @Test
    void dotAloneIsRefused() {
        invalid(() -> Names.dnsName(".", null), "DNS name");
    }

    // ---- DNS domains ----------------------------------------------------------------------

    @Test
    void emptyDomainIsWeaveLocal() {
        assertEquals("weave.local", Names.dnsDomain(""));
        assertEquals("weave.local", Names.dnsDomain(null));
    }

    @Test
    void domainIsLowerCasedWithoutTrailingDot() {
        assertEquals("corp.example", Names.dnsDomain("Corp.Example."));
    }

    @ParameterizedTest
    @ValueSource(strings = { ".", "bad domain", "a..b", "-a.b", "a-.b", "a_b.c", ".a.b" })
    void invalidDomainsAreRefused(String domain) {
        invalid(() -> Names.dnsDomain(domain), "DNS domain", domain);
    }

    @Test
    void singleLabelDomainIsAccepted() {
        assertEquals("internal", Names.dnsDomain("Internal."));
    }

    @Test
    void domainWithALabelOver63IsRefused() {
        invalid(() -> Names.dnsDomain("l".repeat(64) + ".example"), "DNS domain");
    }

    @Test
    void domainLongerThan251IsRefused() {
        invalid(() -> Names.dnsDomain(fqdn(252)), "DNS domain");
        assertEquals(fqdn(251), Names.dnsDomain(fqdn(251)));
    }

    // ---- owners ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "c1", "weave:expose", "pid:1234", "netns:blue", "0123456789abcdef" })
    void validOwnersAreKept(String owner) {
        assertEquals(owner, Names.owner(owner, "owner"));
    }

    @Test
    void ownerOf128CharactersIsAccepted() {
        assertEquals("o".repeat(128), Names.owner("o".repeat(128), "owner"));
    }

    @Test
    void ownerOf129CharactersIsRefused() {
        invalid(() -> Names.owner("o".repeat(129), "owner"), "owner is 129 characters", "at most 128");
    }

    @ParameterizedTest
    @ValueSource(strings = { "a b", "tab\tbed", "new\nline", "é", "\u007f" })
    void ownersWithSpacesOrNonPrintablesAreRefused(String owner) {
        invalid(() -> Names.owner(owner, "container id"), "container id", "non-printable");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyOwnerIsRefused(String owner) {
        invalid(() -> Names.owner(owner, "owner"), "owner is empty");
    }
}
