package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.weft.api.v1.CreateNetworkRequest;

/** Request bodies are weft.v1 messages in protobuf JSON: anything else is refused clearly and changes nothing. */
@QuarkusTest
class JsonBodyRestTest extends RestTestBase {
    String netName;

    @BeforeEach
    void setUp() {
        netName = name("body");
        fx.track(netName); // in case a refusal wrongly creates it
    }

    @ParameterizedTest
    @ValueSource(strings = { "/networks", "/endpoints", "/endpoints/detach", "/ipam/allocate", "/ipam/claim", "/ipam/release",
            "/dns/records", "/dns/records/remove", "/peers/connect", "/peers/forget" })
    void malformedJsonIsRefusedOnEveryPost(String path) {
        refused(() -> admin().body("{\"name\": ").post(API + path), 400, "INVALID_ARGUMENT", "malformed JSON body");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/networks", "/endpoints", "/endpoints/detach", "/ipam/allocate", "/ipam/claim", "/ipam/release",
            "/dns/records", "/dns/records/remove", "/peers/connect", "/peers/forget" })
    void unknownFieldIsRefusedOnEveryPost(String path) {
        refused(() -> admin().body("{\"bogus_field\": \"x\"}").post(API + path), 400, "INVALID_ARGUMENT", "bogus_field");
    }

    @Test
    void unknownFieldNextToValidOnesIsRefused() {
        refused(() -> admin().body("{\"name\":\"" + netName + "\",\"cidr\":\"100.68.250.0/24\",\"colour\":\"blue\"}").post(API + "/networks"),
                400, "INVALID_ARGUMENT", "colour", "CreateNetworkRequest");
    }

    @Test
    void misspelledFieldIsRefused() {
        refused(() -> admin().body("{\"name\":\"" + netName + "\",\"cdir\":\"100.68.250.0/24\"}").post(API + "/networks"), 400,
                "INVALID_ARGUMENT", "cdir");
    }

    @Test
    void wrongFieldTypeIsRefused() {
        refused(() -> admin().body("{\"name\":\"" + netName + "\",\"cidr\":\"100.68.250.0/24\",\"isolation_id\":\"lots\"}")
                .post(API + "/networks"), 400, "INVALID_ARGUMENT", "malformed JSON body", "lots");
    }

    @Test
    void negativeUint32IsRefused() {
        refused(() -> admin().body("{\"name\":\"" + netName + "\",\"cidr\":\"100.68.250.0/24\",\"isolation_id\":-5}")
                .post(API + "/networks"), 400, "INVALID_ARGUMENT", "malformed JSON body");
    }

    @Test
    void stringWhereAListIsExpectedIsRefused() {
        refused(() -> admin().body("{\"name\":\"x.weave.local\",\"ips\":\"198.18.0.1\"}").post(API + "/dns/records"), 400,
                "INVALID_ARGUMENT", "malformed JSON body");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "\"text\"", "42", "null" })
    void nonObjectJsonIsRefused(String body) {
        refused(() -> admin().body(body).post(API + "/networks"), 400, "INVALID_ARGUMENT", "malformed JSON body");
    }

    /** Bodies only a lenient parser takes; strict JSON (RFC 8259) refuses them. None has a CIDR, so none can create anything. */
    @ParameterizedTest
    @ValueSource(strings = { "{\"name\":\"a\"} trailing", "{\"name\":\"a\"}{\"name\":\"b\"}", "{'name':'single-quotes'}",
            "{name:\"unquoted-key\"}", "{\"name\":\"a\" /* comment */}", "{\"name\":\"a\";\"dns_domain\":\"b.test\"}" })
    void lenientJsonIsRefused(String body) {
        refused(() -> admin().body(body).post(API + "/networks"), 400, "INVALID_ARGUMENT", "malformed JSON body");
    }

    @Test
    void emptyBodyIsAnEmptyRequest() {
        refused(() -> admin().body("").post(API + "/networks"), 400, "INVALID_ARGUMENT", "network name", "empty");
    }

    @Test
    void sameFieldInBothSpellingsIsRefused() {
        refused(() -> admin().body("{\"dns_domain\":\"a.test\",\"dnsDomain\":\"b.test\",\"name\":\"" + netName
                + "\",\"cidr\":\"100.68.250.0/24\"}").post(API + "/networks"), 400, "INVALID_ARGUMENT", "dns");
    }

    @Test
    void bodyOverTheSizeLimitIsRefused() {
        String big = "{\"name\":\"" + netName + "\",\"cidr\":\"100.68.250.0/24\",\"dns_domain\":\"" + "a".repeat(1_100_000) + "\"}";
        RestFixture.StoreView before = RestFixture.view();
        assertEquals(413, admin().body(big).post(API + "/networks").statusCode());
        assertEquals(before, RestFixture.view());
    }

    @Test
    void unknownApiPathIs404InJson() {
        refused(() -> admin().get(API + "/nothing-here"), 404, "NOT_FOUND", "no such API path");
    }

    @Test
    void wrongMethodIs405InJson() {
        refused(() -> admin().body(RestFixture.json(CreateNetworkRequest.newBuilder().setName(netName).setCidr("100.68.250.0/24")))
                .put(API + "/networks"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void nonJsonContentTypeIsRefused() {
        refused(() -> admin().contentType("text/plain").body("name=" + netName).post(API + "/networks"), 415, "BAD_REQUEST");
    }
}
