package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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

    /**
     * The server answers 413 from the declared length, before the body: a client that waits for "100 Continue" (curl
     * does for large bodies) gets it without sending the body, and one that starts sending anyway reads it too. A
     * client that pushes the whole body before reading may instead see the connection closed under it (the server
     * does not read 1 MB it will refuse), so the test speaks HTTP on a socket rather than through RestAssured.
     */
    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void bodyOverTheSizeLimitIsRefused(boolean expectContinue) throws IOException {
        RestFixture.StoreView before = RestFixture.view();
        int declared = 1_100_000;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + API + "/networks HTTP/1.1\r\nHost: " + url.getHost() + "\r\nAuthorization: Bearer "
                    + RestFixture.ADMIN + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n"
                    + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            if (!expectContinue) {
                // A start of the body that fits in the socket buffers, so the write cannot block on a server that stopped reading.
                out.write(("{\"name\":\"" + netName + "\",\"cidr\":\"100.68.250.0/24\",\"dns_domain\":\"" + "a".repeat(16_000))
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
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
