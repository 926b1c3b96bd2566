package io.weft.dataplane.daemon;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's settings ({@code weft.*}; each also from the environment, e.g. WEFT_JOIN_TOKEN,
 * WEFT_CONTROL_PLANE_URL, WEFT_HOST_NAME, WEFT_STATE_DIR, WEFT_PORT, WEFT_ADVERTISE).
 */
@ConfigMapping(prefix = "weft")
public interface DataPlaneConfig {
    ControlPlane controlPlane();

    interface ControlPlane {
        /** e.g. http://198.18.0.1:6785; empty: run on persisted state only. */
        Optional<String> url();

        /** Back-off between reconnect attempts: first and largest delay. */
        @WithDefault("200ms")
        Duration reconnectMin();

        @WithDefault("3s")
        Duration reconnectMax();
    }

    /** Join token of the control plane. */
    @WithName("join-token")
    Optional<String> joinToken();

    /** Host name to register; default: this machine's host name. */
    @WithName("host-name")
    Optional<String> hostName();

    /** Underlay endpoints to advertise ("ip" or "ip:port"); default: the address routing to the control plane. */
    Optional<List<String>> advertise();

    /** State directory: key pair and the last synced topology. */
    @WithName("state-dir")
    @WithDefault("/var/lib/weft")
    String stateDir();

    /** UDP port of the data path. */
    @WithDefault("6783")
    int port();

    /** Address to bind the UDP socket to. */
    @WithDefault("0.0.0.0")
    String listen();

    /** Overlay MTU; default computed for a 1500-byte underlay (see host.Mtu). */
    Optional<Integer> mtu();

    /** Heartbeat interval between hosts and how many may be missed before a link is down. */
    @WithName("heartbeat-interval")
    @WithDefault("1s")
    Duration heartbeatInterval();

    @WithName("missed-heartbeats")
    @WithDefault("3")
    int missedHeartbeats();

    /**
     * Encryption of the data path: "on" (default: every datagram AEAD-sealed, sessions from an
     * authenticated key exchange) or "off" (plaintext, for trusted networks only; encrypting
     * peers refuse it). WEFT_ENCRYPTION.
     */
    @WithDefault("on")
    String encryption();

    /**
     * Network password (WEFT_PASSWORD): mixed into every session as a pre-shared key, so the
     * control plane's data alone cannot join the data path. Every host needs the same one. It is
     * turned into a key at start (Argon2id) and never stored or sent; the derived key is kept in the
     * state directory (password.key, 0600) so a restart without WEFT_PASSWORD rejoins.
     */
    Optional<String> password();

    /** Sessions are re-keyed after this long... */
    @WithName("rekey-after")
    @WithDefault("120s")
    Duration rekeyAfter();

    /** ...or after this many plaintext bytes sealed with one key (default 2^38, RFC 8446's AES-GCM limit). */
    @WithName("rekey-after-bytes")
    @WithDefault("274877906944")
    long rekeyAfterBytes();

    /**
     * Nice value of the forwarding threads (the one reading the TAPs, the one reading the underlay socket):
     * -20..19, 0 = normal priority. Below 0 needs CAP_SYS_NICE (see host.ThreadPriority).
     * WEFT_FORWARDING_NICE.
     */
    @WithName("forwarding-nice")
    @WithDefault("-10")
    int forwardingNice();

    /** Use the TAP's virtio-net header with checksum/TSO offloads. */
    @WithDefault("true")
    boolean offloads();

    /** Run the data path on Vert.x's native event loops when they are epoll (else a loop of its own). */
    @WithName("use-vertx-event-loop")
    @WithDefault("true")
    boolean useVertxEventLoop();

    /** The DNS server for containers (weft.dns.*, see the dns package). */
    Dns dns();

    interface Dns {
        /** Serve DNS at start (launch-dns / stop-dns change it at run time; stop-dns is remembered). */
        @WithDefault("true")
        boolean enabled();

        /** TTL of the answers for Weft names: short, because names follow containers as they come and go. */
        @WithDefault("1s")
        Duration ttl();

        /** UDP and TCP port of the server (53; tests and benchmarks may move it). */
        @WithDefault("53")
        int port();

        /** Addresses to listen on besides the host's address in each network (e.g. 127.0.0.1). */
        @WithName("extra-listen")
        Optional<List<String>> extraListen();

        /** The host's resolver configuration, whose nameservers get the names outside Weft's domains. */
        @WithName("resolv-conf")
        @WithDefault("/etc/resolv.conf")
        String resolvConf();

        /** How long to wait for one upstream server before trying the next. */
        @WithName("upstream-timeout")
        @WithDefault("2s")
        Duration upstreamTimeout();

        /** Threads (each with its own UDP socket, SO_REUSEPORT) answering queries. */
        @WithDefault("1")
        int threads();

        /** Largest UDP answer sent even when a client's EDNS0 buffer is bigger. */
        @WithName("max-udp-payload")
        @WithDefault("1232")
        int maxUdpPayload();

        /** Where per-namespace resolver files go (ip netns exec binds /etc/netns/NAME/resolv.conf). */
        @WithName("netns-etc")
        @WithDefault("/etc/netns")
        String netnsEtc();
    }
}
