package io.weft.dataplane.dns;

import static io.weft.dataplane.dns.ZoneFixtures.answers;
import static io.weft.dataplane.dns.ZoneFixtures.network;
import static io.weft.dataplane.dns.ZoneFixtures.query;
import static io.weft.dataplane.dns.ZoneFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The sockets on 127.0.0.1 (port 0): UDP and TCP answers, forwarding to another server, the access policy. */
class DnsServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry());
    private DnsServer upstreamServer;
    private DnsServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (upstreamServer != null) {
            upstreamServer.close();
        }
    }

    private static DnsServer serve(DnsZone zone, Upstream upstream, DnsMetrics m, boolean allowAll) {
        DnsServer s = new DnsServer(new QueryProcessor(new DnsAnswerer(zone), upstream, m, 1232), a -> allowAll, m, 0, 2);
        assertEquals(List.of(), s.listen(List.of(LOOPBACK)));
        return s;
    }

    private static SimpleResolver client(InetSocketAddress at, boolean tcp) {
        SimpleResolver r = new SimpleResolver(at);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(5));
        return r;
    }

    @Test
    void answersOverUdpAndTcpAndForwardsOtherNamesUpstream() throws Exception {
        DnsZone upstreamZone = DnsZone.build(List.of(network("ext", "100.64.9.0/24", "upstream.test")),
                List.of(record("far.upstream.test", "100.64.9.9")), 300, 1);
        upstreamServer = serve(upstreamZone, new Upstream(Duration.ofSeconds(1)), new DnsMetrics(new SimpleMeterRegistry()), true);
        Upstream up = new Upstream(Duration.ofSeconds(2));
        up.setServers(upstreamServer.udpAddresses());
        server = serve(ZoneFixtures.zone(), up, metrics, true);
        InetSocketAddress at = server.udpAddresses().get(0);
        assertEquals(at, server.tcpAddresses().get(0));

        Message udp = client(at, false).send(query("web.weave.local.", Type.A));
        assertEquals(3, answers(udp).size());
        Message tcp = client(at, true).send(query("web.weave.local.", Type.A));
        assertEquals(3, answers(tcp).size());
        Message forwarded = client(at, false).send(query("far.upstream.test.", Type.A));
        assertEquals(List.of("100.64.9.9"), answers(forwarded));
        Message forwardedNx = client(at, true).send(query("none.upstream.test.", Type.A));
        assertEquals(Rcode.NXDOMAIN, forwardedNx.getRcode());
    }

    @Test
    void clientsThePolicyRefusesGetNoAnswerAndAreCounted() throws Exception {
        server = serve(ZoneFixtures.zone(), new Upstream(Duration.ofSeconds(1)), metrics, false);
        InetSocketAddress at = server.udpAddresses().get(0);
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] q = query("web.weave.local.", Type.A).toWire();
            s.send(new DatagramPacket(q, q.length, at));
        }
        for (int i = 0; i < 100 && metrics.dropCount("not_allowed") < 1; i++) {
            Thread.sleep(20);
        }
        assertEquals(1.0, metrics.dropCount("not_allowed"));
        assertEquals(0.0, metrics.count("A", "NOERROR"));
    }

    @Test
    void listeningFollowsTheWantedAddresses() {
        server = serve(ZoneFixtures.zone(), new Upstream(Duration.ofSeconds(1)), metrics, true);
        assertEquals(1, server.udpAddresses().size());
        assertTrue(server.listen(List.of()).isEmpty());
        assertEquals(0, server.udpAddresses().size());
    }
}
