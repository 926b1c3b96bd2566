package io.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.weft.api.v1.AllocateRequest;
import io.weft.api.v1.Allocation;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.IpamServiceGrpc;
import io.weft.api.v1.ListAllocationsRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkServiceGrpc;

/**
 * Phase 3: IpamService.Allocate from many concurrent clients (each its own connection) for a
 * fixed time, in a network created for the run. Checks that no address was handed out twice, both
 * from the answers and from ListAllocations afterwards.
 */
final class IpamBench {
    record Result(String label, String network, String cidr, int clients, double seconds, long allocations, double perSecond,
            long[] latencySorted, long duplicates, long outsideCidr, long answered, long listed, long listedDistinct,
            Map<String, Integer> errors) {
    }

    private final BenchConfig cfg;
    private final Channels channels;

    IpamBench(BenchConfig cfg, Channels channels) {
        this.cfg = cfg;
        this.channels = channels;
    }

    Result run(String label, int seconds, String host) throws InterruptedException {
        ManagedChannel adminCh = channels.openForBlocking();
        Channel admin = Channels.withToken(adminCh, cfg.adminToken);
        List<ManagedChannel> open = new ArrayList<>();
        open.add(adminCh);
        try {
            String name = "bench-" + cfg.runId + "-" + label;
            Network net = createNetwork(admin, name);
            long[] range = cidrRange(net.getCidr());
            System.out.printf("  network %s %s; %d clients, %d s warm-up, %d s measured, host %s%n", net.getName(), net.getCidr(),
                    cfg.ipamClients, cfg.ipamWarmupSeconds, seconds, host);

            ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
            AtomicLong duplicates = new AtomicLong();
            AtomicLong outside = new AtomicLong();
            AtomicLong measured = new AtomicLong();
            Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
            LongList[] latencies = new LongList[cfg.ipamClients];
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(cfg.ipamWarmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(cfg.ipamClients);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < cfg.ipamClients; t++) {
                ManagedChannel ch = channels.openForBlocking();
                open.add(ch);
                var stub = IpamServiceGrpc.newBlockingStub(Channels.withToken(ch, cfg.adminToken));
                int client = t;
                latencies[t] = new LongList(4096);
                Thread th = new Thread(() -> {
                    try {
                        long seq = 0;
                        while (true) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                break;
                            }
                            String owner = "bench-" + cfg.runId + "-" + label + "-" + client + "-" + (seq++);
                            try {
                                Allocation a = stub.withDeadlineAfter(30, TimeUnit.SECONDS).allocate(AllocateRequest.newBuilder()
                                        .setNetwork(net.getName()).setHost(host).setOwner(owner).build());
                                long t1 = System.nanoTime();
                                String prev = seen.putIfAbsent(a.getIp(), owner);
                                if (prev != null) {
                                    duplicates.incrementAndGet();
                                    System.out.printf("  DUPLICATE: %s given to %s and %s%n", a.getIp(), prev, owner);
                                }
                                long ip = ipv4(a.getIp());
                                if (ip <= range[0] || ip >= range[1]) {
                                    outside.incrementAndGet();
                                }
                                if (t0 >= measureFrom && t1 <= end) {
                                    latencies[client].add(t1 - t0);
                                    measured.incrementAndGet();
                                }
                            } catch (StatusRuntimeException e) {
                                errors.computeIfAbsent(e.getStatus().getCode().toString(), k -> new AtomicInteger()).incrementAndGet();
                                if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                                    break;
                                }
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                }, "bench-ipam-" + t);
                th.setDaemon(true);
                threads.add(th);
            }
            threads.forEach(Thread::start);
            boolean finished = done.await(seconds + cfg.ipamWarmupSeconds + 60L, TimeUnit.SECONDS);
            if (!finished) {
                System.out.println("  some allocation clients did not finish in time");
            }
            LongList all = new LongList(1 << 16);
            for (LongList l : latencies) {
                all.addAll(l);
            }
            List<Allocation> listed = IpamServiceGrpc.newBlockingStub(admin).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .listAllocations(ListAllocationsRequest.newBuilder().setNetwork(net.getName()).build()).getAllocationsList();
            long listedDistinct = listed.stream().map(Allocation::getIp).distinct().count();
            Map<String, Integer> errs = new TreeMap<>();
            errors.forEach((k, v) -> errs.put(k, v.get()));
            long n = measured.get();
            return new Result(label, net.getName(), net.getCidr(), cfg.ipamClients, seconds, n, n / (double) seconds, all.toSortedArray(),
                    duplicates.get(), outside.get(), seen.size(), listed.size(), listedDistinct, errs);
        } finally {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ManagedChannel ch : open) {
                ch.shutdownNow();
            }
            for (ManagedChannel ch : open) {
                Channels.await(ch, deadline);
            }
        }
    }

    /** Creates the run's network: the configured /16, or the next free /16 up to 100.127.0.0/16 if it overlaps. */
    private Network createNetwork(Channel admin, String name) {
        String[] parts = cfg.ipamCidr.split("[./]");
        int second = Integer.parseInt(parts[1]);
        String prefix = cfg.ipamCidr.substring(cfg.ipamCidr.indexOf('/'));
        StatusRuntimeException last = null;
        for (int s = second; s <= 127; s++) {
            String cidr = parts[0] + "." + s + "." + parts[2] + "." + parts[3] + prefix;
            try {
                return NetworkServiceGrpc.newBlockingStub(admin).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .createNetwork(CreateNetworkRequest.newBuilder().setName(name).setCidr(cidr).build());
            } catch (StatusRuntimeException e) {
                last = e;
                if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** {network address, broadcast address} of a CIDR. */
    static long[] cidrRange(String cidr) {
        int slash = cidr.indexOf('/');
        long base = ipv4(cidr.substring(0, slash));
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        long size = 1L << (32 - prefix);
        return new long[] {base, base + size - 1};
    }

    static long ipv4(String s) {
        String[] p = s.split("\\.");
        return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8) | Long.parseLong(p[3]);
    }
}
