package io.weft.controlplane.rest;

import static io.weft.controlplane.rest.RestFixture.API;
import static io.weft.controlplane.rest.RestFixture.admin;
import static io.weft.controlplane.rest.RestFixture.anonymous;
import static io.weft.controlplane.rest.RestFixture.info;
import static io.weft.controlplane.rest.RestFixture.json;
import static io.weft.controlplane.rest.RestFixture.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.weft.api.v1.AddDnsRecordsRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.RemoveDnsRecordsRequest;
import io.weft.api.v1.SystemInfo;
import io.weft.controlplane.support.AgentClient;
import io.weft.controlplane.support.TestApi;

/** /api/v1/info, /q/health and /q/metrics. */
@QuarkusTest
class SystemRestTest extends RestTestBase {

    static String metrics() {
        return anonymous().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample of {@code metric} whose labels contain every fragment, or null. */
    static Double sample(String text, String metric, String... labelFragments) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})?\\s+(\\S+)").matcher(text);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String f : labelFragments) {
                all &= labels.contains(f);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    /** Polls the metrics until the sample exists (and satisfies the check), at most 20 s. */
    static double awaitSample(java.util.function.DoublePredicate check, String metric, String... labelFragments) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Double v = null;
        while (System.nanoTime() < deadline) {
            v = sample(metrics(), metric, labelFragments);
            if (v != null && check.test(v)) {
                return v;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(metric + " " + List.of(labelFragments) + " did not appear within 20 s; last value " + v);
    }

    // ---- info -----------------------------------------------------------------------------

    @Test
    void infoDescribesTheControlPlane() {
        SystemInfo i = info();
        assertFalse(i.getVersion().isEmpty());
        assertTrue(i.getRevision() > 0, "the default network was created, so the revision is past 0");
        assertTrue(List.of("h2", "postgresql").contains(i.getStore()), i.getStore());
        assertEquals("default", i.getDefaultNetwork());
        assertTrue(i.getOldestDeltaRevision() <= i.getRevision());
    }

    @Test
    void infoPrintsInt64AsStringsAndSnakeCase() {
        String body = admin().get(API + "/info").then().statusCode(200).extract().asString();
        JsonPath j = new JsonPath(body);
        assertTrue(j.get("revision") instanceof String, body);
        assertTrue(j.get("oldest_delta_revision") instanceof String, body);
        assertTrue(j.get("default_network") instanceof String, body);
        assertTrue(j.get("connected_watchers") instanceof Integer, body);
    }

    @Test
    void infoRevisionFollowsWrites() {
        long before = info().getRevision();
        fx.network("info");
        assertEquals(before + 1, info().getRevision());
    }

    @Test
    void infoCountsConnectedWatchers() throws Exception {
        int before = info().getConnectedWatchers();
        String h = name("watcher");
        try (TestApi api = new TestApi(url); AgentClient agent = AgentClient.open(api, TestApi.JOIN, -1)) {
            agent.sendHello(AgentClient.hello(h, 0, ""));
            assertTrue(agent.nextNonHeartbeat().hasWelcome());
            fx.adopt(h);
            assertTrue(info().getConnectedWatchers() >= 1);
            assertTrue(info().getConnectedWatchers() >= before);
        }
    }

    // ---- health ---------------------------------------------------------------------------

    @Test
    void readinessIsUpWithTheStoreCheck() {
        JsonPath j = anonymous().accept("application/json").get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertEquals("UP", j.getString("status"));
        List<String> names = j.getList("checks.name");
        assertTrue(names.contains("store"), names.toString());
        assertEquals("UP", j.getString("checks.find { it.name == 'store' }.status"));
        assertTrue(List.of("h2", "postgresql").contains(j.getString("checks.find { it.name == 'store' }.data.kind")));
    }

    @Test
    void livenessIsUp() {
        JsonPath j = anonymous().accept("application/json").get("/q/health/live").then().statusCode(200).extract().jsonPath();
        assertEquals("UP", j.getString("status"));
    }

    // ---- metrics --------------------------------------------------------------------------

    @Test
    void metricsCountApiErrorsByKind() {
        admin().get(API + "/networks/" + name("missing")).then().statusCode(404);
        anonymous().get(API + "/networks").then().statusCode(401);
        String text = metrics();
        Double notFound = sample(text, "weft_api_errors_total", "api=\"rest\"", "kind=\"NOT_FOUND\"");
        Double unauth = sample(text, "weft_api_errors_total", "api=\"rest\"", "kind=\"UNAUTHENTICATED\"");
        assertTrue(notFound != null && notFound >= 1, "weft_api_errors_total NOT_FOUND in\n" + text);
        assertTrue(unauth != null && unauth >= 1, "weft_api_errors_total UNAUTHENTICATED");
    }

    @Test
    void apiErrorCounterGrowsWithEachRefusal() {
        admin().get(API + "/networks/" + name("missing")).then().statusCode(404);
        double before = sample(metrics(), "weft_api_errors_total", "api=\"rest\"", "kind=\"NOT_FOUND\"");
        admin().get(API + "/networks/" + name("missing")).then().statusCode(404);
        double after = sample(metrics(), "weft_api_errors_total", "api=\"rest\"", "kind=\"NOT_FOUND\"");
        assertEquals(before + 1, after);
    }

    @Test
    void metricsExposeConnectedWatchers() {
        Double v = sample(metrics(), "weft_watchers_connected");
        assertTrue(v != null && v >= 0, "weft_watchers_connected");
    }

    @Test
    void metricsExposeTheRevision() throws InterruptedException {
        fx.network("rev");
        long rev = info().getRevision();
        double v = awaitSample(x -> x >= rev, "weft_revision");
        assertTrue(v >= rev);
    }

    @Test
    void metricsExposeAddressesPerNetworkAfterTheRefresh() throws InterruptedException {
        Network n = fx.network("metrics");
        String h = fx.host("metrics-h");
        fx.attach(n.getName(), h, "c1", null);
        fx.attach(n.getName(), h, "c2", null);
        assertEquals(2.0, awaitSample(x -> x == 2.0, "weft_ipam_addresses", "network=\"" + n.getName() + "\"", "state=\"used\""));
        assertEquals(252.0, awaitSample(x -> x == 252.0, "weft_ipam_addresses", "network=\"" + n.getName() + "\"", "state=\"free\""));
    }

    @Test
    void metricsExposeDnsRecordsAfterTheRefresh() throws InterruptedException {
        String name = name("metric") + ".metrics.test";
        admin().body(json(AddDnsRecordsRequest.newBuilder().setName(name).addIps("198.18.201.1"))).post(API + "/dns/records")
                .then().statusCode(200);
        try {
            double v = awaitSample(x -> x >= 1, "weft_dns_records");
            assertTrue(v >= 1);
        } finally {
            admin().body(json(RemoveDnsRecordsRequest.newBuilder().setName(name))).post(API + "/dns/records/remove").then().statusCode(200);
        }
    }

    @Test
    void metricsExposeThePushLatencyHistogram() {
        String text = metrics();
        assertTrue(text.contains("weft_watch_push_latency"), "weft_watch_push_latency missing");
    }
}
