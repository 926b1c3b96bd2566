package io.weft.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of the load generator ({@code --name=value} or {@code --name value}). */
final class BenchConfig {
    String host = "127.0.0.1";
    int port = 6785;
    int agents = 1000;
    String joinToken = env("WEFT_JOIN_TOKEN", "");
    String adminToken = env("WEFT_ADMIN_TOKEN", "");
    /** Agents between opening their stream and receiving Synced, at most. */
    int connectConcurrency = 25;
    int connectTimeoutSeconds = 900;
    int changes = 20;
    int changeGapMillis = 250;
    int propagationTimeoutSeconds = 60;
    int ipamClients = 50;
    int ipamSeconds = 10;
    int ipamWarmupSeconds = 2;
    /** Allocations measured while the N agents are still connected (each allocation is a delta to all). */
    int ipamWatchedSeconds = 0;
    String ipamCidr = "100.80.0.0/16";
    int eventLoopThreads = 2;
    long cpPid = 0;
    /** Before the short phases, wait up to this long for other processes to leave the CPUs alone. */
    int quietWaitSeconds = 0;
    String resultFile = "";
    String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    static BenchConfig parse(String[] args) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; options look like --agents=1000 (see --help)");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                kv.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                kv.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        BenchConfig c = new BenchConfig();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "target" -> {
                    int colon = v.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException("--target is host:port, e.g. 127.0.0.1:6785");
                    }
                    c.host = v.substring(0, colon);
                    c.port = Integer.parseInt(v.substring(colon + 1));
                }
                case "agents" -> c.agents = positive(e.getKey(), v);
                case "join-token" -> c.joinToken = v;
                case "admin-token" -> c.adminToken = v;
                case "connect-concurrency" -> c.connectConcurrency = positive(e.getKey(), v);
                case "connect-timeout-s" -> c.connectTimeoutSeconds = positive(e.getKey(), v);
                case "changes" -> c.changes = positive(e.getKey(), v);
                case "change-gap-ms" -> c.changeGapMillis = Integer.parseInt(v);
                case "propagation-timeout-s" -> c.propagationTimeoutSeconds = positive(e.getKey(), v);
                case "ipam-clients" -> c.ipamClients = positive(e.getKey(), v);
                case "ipam-seconds" -> c.ipamSeconds = Integer.parseInt(v);
                case "ipam-warmup-s" -> c.ipamWarmupSeconds = Integer.parseInt(v);
                case "ipam-watched-seconds" -> c.ipamWatchedSeconds = Integer.parseInt(v);
                case "ipam-cidr" -> c.ipamCidr = v;
                case "event-loop-threads" -> c.eventLoopThreads = positive(e.getKey(), v);
                case "cp-pid" -> c.cpPid = Long.parseLong(v);
                case "quiet-wait-s" -> c.quietWaitSeconds = Integer.parseInt(v);
                case "result-file" -> c.resultFile = v;
                case "run-id" -> c.runId = v.toLowerCase();
                default -> throw new IllegalArgumentException("unknown option --" + e.getKey() + " (see --help)");
            }
        }
        if (c.joinToken.isEmpty() || c.adminToken.isEmpty()) {
            throw new IllegalArgumentException("give --join-token and --admin-token (or WEFT_JOIN_TOKEN / WEFT_ADMIN_TOKEN)");
        }
        if (!c.runId.matches("[a-z0-9]{1,12}")) {
            throw new IllegalArgumentException("--run-id must be 1..12 characters of [a-z0-9]");
        }
        return c;
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive");
        }
        return n;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null ? dflt : v;
    }

    static void usage() {
        System.out.println("""
                weft-bench: control-plane load generator (see docs/BENCHMARKS.md)
                  --target=127.0.0.1:6785        control plane (gRPC and REST on one port)
                  --agents=N                     simulated agent watch streams, one connection each
                  --join-token=T --admin-token=T (or WEFT_JOIN_TOKEN / WEFT_ADMIN_TOKEN)
                  --connect-concurrency=25       agents joining at once (between open and Synced)
                  --connect-timeout-s=900        give up waiting for all agents to sync after this
                  --changes=20                   admin changes whose propagation is timed
                  --change-gap-ms=250            pause between two timed changes
                  --propagation-timeout-s=60     give up on one change after this
                  --ipam-clients=50              concurrent IpamService.Allocate clients
                  --ipam-seconds=10              measured allocation time (0: skip)
                  --ipam-warmup-s=2              allocations before the measured ones
                  --ipam-watched-seconds=0       also allocate while the agents are connected
                  --ipam-cidr=100.80.0.0/16      first CIDR tried for the run's fresh network
                  --event-loop-threads=2         Netty event loops shared by all channels
                  --cp-pid=PID                   control-plane process, for CPU and RSS figures
                  --quiet-wait-s=0               before propagation and IPAM, wait up to this long for
                                                 other processes to use < 0.2 cores (shared machines)
                  --result-file=F                append one tab-separated result row to F
                  --run-id=ID                    makes names of this run unique ([a-z0-9], <=12)
                """);
    }
}
