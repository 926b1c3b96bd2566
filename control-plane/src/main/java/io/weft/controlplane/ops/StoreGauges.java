package io.weft.controlplane.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.weft.api.v1.NetworkUsage;
import io.weft.controlplane.domain.IpamManager;
import io.weft.controlplane.store.DnsTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Gauges read from the database: addresses by state per network, DNS records. Refreshed on a
 * timer rather than at scrape time so a scrape never waits on the database.
 */
@ApplicationScoped
public class StoreGauges {
    @Inject
    Store store;
    @Inject
    IpamManager ipam;
    @Inject
    MeterRegistry registry;

    private final AtomicLong dnsRecords = new AtomicLong();
    private final Map<String, AtomicLong> addresses = new ConcurrentHashMap<>();
    private volatile boolean registered;

    @Scheduled(every = "${weft.metrics.refresh:5s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!registered) {
            Gauge.builder("weft_dns_records", dnsRecords, AtomicLong::get).description("DNS records stored").register(registry);
            registered = true;
        }
        dnsRecords.set(store.read(DnsTable::count));
        Map<String, Long> seen = new HashMap<>();
        for (NetworkUsage u : ipam.status("")) {
            seen.put(u.getNetwork() + "/used", u.getUsed());
            seen.put(u.getNetwork() + "/free", u.getFree());
        }
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            addresses.computeIfAbsent(e.getKey(), k -> {
                AtomicLong v = new AtomicLong();
                int slash = k.lastIndexOf('/');
                Gauge.builder("weft_ipam_addresses", v, AtomicLong::get).description("Addresses per network by state")
                        .tag("network", k.substring(0, slash)).tag("state", k.substring(slash + 1)).register(registry);
                return v;
            }).set(e.getValue());
        }
        addresses.forEach((k, v) -> {
            if (!seen.containsKey(k)) {
                v.set(0); // the network was deleted
            }
        });
    }
}
