package io.weft.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.LocalConnection;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.NetworkUsage;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    static final LocalStatus STATUS = LocalStatus.newBuilder().setVersion("0.1.0").setHostName("h1").setPeerId(3).setSynced(true)
            .setControlPlaneUrl("http://198.18.0.11:6785").setControlPlaneConnected(true).setEncryption("none").setMtu(1410).setPort(6783)
            .addUnderlayEndpoints("198.18.0.11:6783")
            .addConnections(LocalConnection.newBuilder().setPeer("h2").setPeerId(4).setState(LinkState.State.ESTABLISHED)
                    .setEndpoint("198.18.0.12:6783").setRttMicros(250))
            .addConnections(LocalConnection.newBuilder().setPeer("h3").setPeerId(5).setState(LinkState.State.RELAYED))
            .setDns(LocalDns.newBuilder().setEnabled(true).addDomains("weave.local").addUpstreamServers("198.18.0.1:53").setTtlSeconds(1).setRecords(2))
            .build();

    @Test
    void summaryHasTheOriginalLayout() {
        IpamStatusResponse ipam = IpamStatusResponse.newBuilder().addNetworks(NetworkUsage.newBuilder().setNetwork("default")
                .setCidr("100.96.0.0/12").setTotal(1048574).setUsed(3).setFree(1048571)).build();
        String s = StatusText.summary(STATUS, ipam, "");
        assertTrue(s.startsWith("        Version: 0.1.0\n\n        Service: router\n"), s);
        assertTrue(s.contains("\n           Name: h1 (peer 3)\n"), s);
        assertTrue(s.contains("\n     Encryption: disabled\n"), s);
        assertTrue(s.contains("\n    Connections: 2 (1 established, 1 relayed)\n"), s);
        assertTrue(s.contains("\n          Range: 100.96.0.0/12 (default): 3 of 1048574 used, 0.0%, 1048571 free\n"), s);
        assertTrue(s.contains("\n        Service: dns\n         Status: running\n         Domain: weave.local\n       Upstream: 198.18.0.1:53\n"
                + "            TTL: 1\n        Entries: 2\n"), s);
    }

    @Test
    void summaryStillAnswersWithoutTheControlPlane() {
        String s = StatusText.summary(STATUS.toBuilder().setSynced(false).setRunningOnPersistedState(true).setControlPlaneConnected(false)
                .build(), null, "control plane: unreachable");
        assertTrue(s.contains("(unreachable; forwarding on saved state)"), s);
        assertTrue(s.contains("Status: unknown: control plane: unreachable"), s);
    }

    @Test
    void connectionsOneLinePerPeer() {
        assertEquals("->  198.18.0.12:6783  established  h2(4)  unencrypted  mtu=1410  rtt=0.25ms  frames=0/0\n"
                + "->  -                 relayed      h3(5)  unencrypted  mtu=1410  rtt=?       frames=0/0\n", StatusText.connections(STATUS));
    }

    @Test
    void dockerIdsAreShortened() {
        assertEquals("0123456789ab", StatusText.shortId("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        assertEquals("netns:c1", StatusText.shortId("netns:c1"));
    }
}
