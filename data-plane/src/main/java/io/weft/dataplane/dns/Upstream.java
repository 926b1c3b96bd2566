package io.weft.dataplane.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards names outside Weft's domains to the host's upstream resolvers, asynchronously
 * (dnsjava's non-blocking resolver: no thread waits for an answer). Servers are tried in
 * resolv.conf order, each for the per-server timeout; the stage fails when all did, which the
 * caller turns into SERVFAIL. A truncated upstream answer is retried over TCP by the resolver.
 */
public final class Upstream {
    /** Runs completions on the resolver's own I/O thread: the reply path only encodes and writes. */
    private static final Executor DIRECT = Runnable::run;

    private final Duration perServerTimeout;
    private volatile List<InetSocketAddress> servers = List.of();
    private volatile ExtendedResolver resolver;

    public Upstream(Duration perServerTimeout) {
        this.perServerTimeout = perServerTimeout;
    }

    public synchronized void setServers(List<InetSocketAddress> next) {
        if (next.equals(servers)) {
            return;
        }
        List<Resolver> rs = new ArrayList<>();
        for (InetSocketAddress a : next) {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(perServerTimeout);
            rs.add(r);
        }
        ExtendedResolver er = null;
        if (!rs.isEmpty()) {
            er = new ExtendedResolver(rs);
            er.setLoadBalance(false);
            er.setRetries(1);
            er.setTimeout(perServerTimeout.multipliedBy(rs.size()));
        }
        resolver = er;
        servers = List.copyOf(next);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Asks upstream the client's question under a fresh random id (the client's id never leaves
     * the host, so upstream answers cannot be matched to clients by it), recursion desired,
     * the client's CD bit kept. The answer comes back as the upstream sent it.
     */
    public CompletionStage<Message> forward(Message clientQuery) {
        ExtendedResolver r = resolver;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no upstream nameserver in resolv.conf"));
        }
        Message q = Message.newQuery(clientQuery.getQuestion());
        if (clientQuery.getHeader().getFlag(Flags.CD)) {
            q.getHeader().setFlag(Flags.CD);
        }
        return r.sendAsync(q, DIRECT);
    }
}
