package io.weft.controlplane.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Everything an operator can set; environment variables map as WEFT_DATA_DIR, WEFT_DB_URL, ... */
@ConfigMapping(prefix = "weft")
public interface WeftConfig {

    /** Directory for the embedded database and the generated tokens. */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    Db db();

    /** Admin token for the API; generated into the data directory when absent. */
    @WithName("admin-token")
    Optional<String> adminToken();

    /** Token data planes join with; generated into the data directory when absent. */
    @WithName("join-token")
    Optional<String> joinToken();

    @WithName("default-network")
    DefaultNetwork defaultNetwork();

    Changelog changelog();

    Watch watch();

    interface Db {
        /** JDBC URL; empty means the embedded H2 file in the data directory. */
        Optional<String> url();

        Optional<String> username();

        Optional<String> password();

        @WithName("max-connections")
        @WithDefault("16")
        int maxConnections();
    }

    interface DefaultNetwork {
        @WithDefault("default")
        String name();

        /** The allocation range (weave's --ipalloc-range). */
        @WithDefault("100.96.0.0/12")
        String cidr();

        @WithName("dns-domain")
        @WithDefault("weave.local")
        String dnsDomain();
    }

    interface Changelog {
        /** Deltas kept in the database for watchers that reconnect; older ones get a snapshot. */
        @WithDefault("10000")
        int retain();

        @WithName("compact-interval")
        @WithDefault("30s")
        Duration compactInterval();

        /** How often to look for changes written by other replicas (PostgreSQL HA). */
        @WithName("poll-interval")
        @WithDefault("200ms")
        Duration pollInterval();
    }

    interface Watch {
        @WithName("heartbeat-interval")
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** Recent deltas kept in memory, encoded once, for live fan-out and quick catch-up. */
        @WithName("ring-size")
        @WithDefault("4096")
        int ringSize();

        /** Threads that write to watch streams. */
        @WithName("fanout-threads")
        @WithDefault("2")
        int fanoutThreads();
    }
}
