package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.anonymous;
import static io.weft.controlplane.rest.RestFixture.as;
import static io.weft.controlplane.rest.RestFixture.join;
import static io.weft.controlplane.rest.RestFixture.json;
import static io.weft.controlplane.rest.RestFixture.name;
import static io.weft.controlplane.rest.RestFixture.refused;
import static io.weft.controlplane.rest.RestFixture.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.Network;

/** Tokens on /api/v1: none or a wrong one is 401 and changes nothing; the join token may not administer. */
@QuarkusTest
class AuthRestTest extends RestTestBase {

    /** Every REST operation, with a body that would succeed (and change the store) given the admin token. */
    static Stream<Arguments> operations() {
        String net = json(CreateNetworkRequest.newBuilder().setName(name("auth")).setCidr("100.67.253.0/24"));
        String dns = json(AddDnsRecordsRequest.newBuilder().setName(name("auth") + ".auth.test").addIps("198.18.200.1"));
        String peer = json(ConnectRequest.newBuilder().addAddresses("198.18.200.2"));
        return Stream.of(
                Arguments.of("GET", "/networks", null),
                Arguments.of("POST", "/networks", net),
                Arguments.of("GET", "/networks/default", null),
                Arguments.of("DELETE", "/networks/default", null),
                Arguments.of("GET", "/hosts", null),
                Arguments.of("GET", "/hosts/some-host", null),
                Arguments.of("DELETE", "/hosts/some-host", null),
                Arguments.of("GET", "/endpoints", null),
                Arguments.of("POST", "/endpoints", "{\"host\":\"h\",\"container_id\":\"c\"}"),
                Arguments.of("GET", "/endpoints/ep-00", null),
                Arguments.of("DELETE", "/endpoints/ep-00", null),
                Arguments.of("POST", "/endpoints/detach", "{\"container_id\":\"c\"}"),
                Arguments.of("POST", "/ipam/allocate", "{\"host\":\"h\",\"owner\":\"o\"}"),
                Arguments.of("POST", "/ipam/claim", "{\"host\":\"h\",\"owner\":\"o\",\"ip\":\"100.96.0.9\"}"),
                Arguments.of("POST", "/ipam/release", "{\"ip\":\"100.96.0.9\"}"),
                Arguments.of("GET", "/ipam/allocations", null),
                Arguments.of("GET", "/ipam/status", null),
                Arguments.of("GET", "/dns/records", null),
                Arguments.of("POST", "/dns/records", dns),
                Arguments.of("POST", "/dns/records/remove", "{\"name\":\"x.weave.local\"}"),
                Arguments.of("GET", "/dns/lookup/x.weave.local", null),
                Arguments.of("GET", "/peers/targets", null),
                Arguments.of("POST", "/peers/connect", peer),
                Arguments.of("POST", "/peers/forget", peer),
                Arguments.of("GET", "/peers/links", null),
                Arguments.of("GET", "/info", null));
    }

    static Response call(RequestSpecification spec, String method, String path, String body) {
        if (body != null) {
            spec = spec.body(body);
        }
        return spec.request(method, API + path);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("operations")
    void everyOperationWithoutATokenIs401AndChangesNothing(String method, String path, String body) {
        refused(() -> call(anonymous(), method, path, body), 401, "UNAUTHENTICATED", "missing or wrong token");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("operations")
    void everyOperationWithAWrongTokenIs401AndChangesNothing(String method, String path, String body) {
        refused(() -> call(as("not-the-token"), method, path, body), 401, "UNAUTHENTICATED", "token");
    }

    @Test
    void createNetworkWithoutATokenCreatesNothing() {
        String n = name("anon");
        refused(() -> anonymous().body(json(CreateNetworkRequest.newBuilder().setName(n).setCidr("100.67.254.0/24")))
                .post(API + "/networks"), 401, "UNAUTHENTICATED", "Authorization: Bearer");
        RestFixture.assertError(admin().get(API + "/networks/" + n), 404, "NOT_FOUND", n);
    }

    @ParameterizedTest
    @ValueSource(strings = { "test-admin-token", "Basic dGVzdC1hZG1pbi10b2tlbg==", "Token test-admin-token", "Bearer", "Bearer ",
            "Bearer test-admin-token-and-more", "Bearer test-admin-toke" })
    void malformedAuthorizationHeaderIs401(String header) {
        refused(() -> anonymous().header("Authorization", header).get(API + "/networks"), 401, "UNAUTHENTICATED", "token");
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        anonymous().header("Authorization", "bearer " + RestFixture.ADMIN).get(API + "/networks").then().statusCode(200);
    }

    @Test
    void joinTokenCannotCreateANetwork() {
        String n = name("joined");
        refused(() -> join().body(json(CreateNetworkRequest.newBuilder().setName(n).setCidr("100.67.255.0/24"))).post(API + "/networks"),
                403, "PERMISSION_DENIED", "admin token");
        RestFixture.assertError(admin().get(API + "/networks/" + n), 404, "NOT_FOUND", n);
    }

    @Test
    void joinTokenCannotDeleteANetwork() {
        Network n = fx.network("keep");
        refused(() -> join().delete(API + "/networks/" + n.getName()), 403, "PERMISSION_DENIED", "admin token");
        admin().get(API + "/networks/" + n.getName()).then().statusCode(200);
    }

    @Test
    void joinTokenCannotRemoveAHost() {
        String h = fx.host("keep");
        refused(() -> join().delete(API + "/hosts/" + h), 403, "PERMISSION_DENIED", "admin token");
        admin().get(API + "/hosts/" + h).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/networks", "/networks/default", "/hosts", "/endpoints", "/ipam/status", "/dns/records", "/peers/targets",
            "/info" })
    void joinTokenMayRead(String path) {
        join().get(API + path).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/health", "/q/health/live", "/q/health/ready", "/q/metrics" })
    void healthAndMetricsNeedNoToken(String path) {
        anonymous().accept("*/*").get(path).then().statusCode(200);
    }

    /** Paths that a router might normalise to /api/v1/networks must not slip past the token check. */
    @ParameterizedTest
    @ValueSource(strings = { "//api/v1/networks", "/api//v1/networks", "/./api/v1/networks", "/api/v1/./networks",
            "/x/../api/v1/networks", "/%61pi/v1/networks", "/api/v1/%6eetworks", "/API/v1/networks" })
    void pathVariantsDoNotBypassTheTokenCheck(String path) throws Exception {
        String name = name("bypass");
        fx.track(name);
        RestFixture.StoreView before = view();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + url.getHost() + ":" + url.getPort() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(CreateNetworkRequest.newBuilder().setName(name).setCidr("100.67.252.0/24"))))
                .build();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        assertFalse(r.statusCode() >= 200 && r.statusCode() < 300, path + " answered " + r.statusCode() + ": " + r.body());
        assertTrue(r.statusCode() == 401 || r.statusCode() == 404 || r.statusCode() == 400, path + " answered " + r.statusCode());
        assertEquals(before, view(), "the store changed through " + path);
    }
}
