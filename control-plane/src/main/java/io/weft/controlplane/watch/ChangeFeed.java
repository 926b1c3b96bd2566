package io.weft.controlplane.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.store.ChangeLogTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The ordered stream of committed deltas, as this replica sees it. Local commits arrive directly
 * from the Store; commits of other replicas (PostgreSQL HA) are found by polling the change log.
 * The most recent deltas stay in a ring, encoded once, so live fan-out and short catch-ups never
 * touch the database.
 */
@ApplicationScoped
public class ChangeFeed {
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private static final int POLL_BATCH = 1000;

    /** Returned by {@link #after(long)} when the delta is older than the ring. */
    public static final Encoded NOT_IN_RING = Encoded.delta(-1, new byte[0], 0);

    @Inject
    Store store;
    @Inject
    WeftConfig config;

    private Encoded[] ring;
    private int mask;
    /** Newest revision in the ring; the ring holds (floor, head]. */
    private volatile long head;
    private volatile long floor;
    private volatile Runnable onAppend = () -> {
    };
    private ScheduledExecutorService poller;

    void start(@Observes StartupEvent ev) {
        int size = Integer.highestOneBit(Math.max(64, config.watch().ringSize() - 1)) << 1;
        ring = new Encoded[size];
        mask = size - 1;
        head = store.currentRevision();
        floor = head;
        store.setCommitListener(this::committed);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-changefeed-poll");
            t.setDaemon(true);
            return t;
        });
        long every = config.changelog().pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Called once per delta appended (by the thread that appended it). */
    public void setOnAppend(Runnable onAppend) {
        this.onAppend = onAppend;
    }

    public long head() {
        return head;
    }

    /** Lowest revision a watcher may hold and still be served from the ring. */
    public long floor() {
        return floor;
    }

    /**
     * The delta with revision {@code held + 1}: from the ring, {@code null} when the watcher is up
     * to date, or {@link #NOT_IN_RING} when it is older than the ring (read the change log).
     */
    public Encoded after(long held) {
        long h = head;
        if (held >= h) {
            return null;
        }
        if (held < floor) {
            return NOT_IN_RING;
        }
        Encoded e = ring[(int) ((held + 1) & mask)];
        // The slot may have been overwritten by a newer revision since floor was read.
        return e != null && e.revision == held + 1 ? e : NOT_IN_RING;
    }

    /**
     * Deltas after {@code held} from the change log, or {@code null} when compaction removed the
     * next one (the watcher needs a snapshot).
     */
    public List<Encoded> loadFromLog(long held, int limit) {
        List<ChangeLogTable.Entry> entries = store.read(c -> ChangeLogTable.after(c, held, limit));
        if (entries.isEmpty() || entries.get(0).revision() != held + 1) {
            return held >= head ? List.of() : null;
        }
        List<Encoded> out = new ArrayList<>(entries.size());
        for (ChangeLogTable.Entry e : entries) {
            out.add(Encoded.delta(e.revision(), e.payload(), 0));
        }
        return out;
    }

    private void committed(long revision, byte[] payload) {
        boolean appended;
        synchronized (this) {
            if (revision <= head) {
                return;
            }
            appended = revision == head + 1;
            if (appended) {
                append(Encoded.delta(revision, payload, System.currentTimeMillis()));
            }
        }
        if (!appended) {
            // Another replica (or a racing local commit) wrote the revisions in between: fetch them in order.
            pollSafely();
        } else {
            onAppend.run();
        }
    }

    private void pollSafely() {
        try {
            boolean any = false;
            List<ChangeLogTable.Entry> entries;
            do {
                long from = head;
                entries = store.read(c -> ChangeLogTable.after(c, from, POLL_BATCH));
                synchronized (this) {
                    for (ChangeLogTable.Entry e : entries) {
                        if (e.revision() == head + 1) {
                            append(Encoded.delta(e.revision(), e.payload(), System.currentTimeMillis()));
                            any = true;
                        } else if (e.revision() > head + 1) {
                            // A hole means those revisions were compacted before we saw them (a replica
                            // that was away a long time): restart the ring there; watchers behind it
                            // will get a snapshot.
                            LOG.warnf("change log jumps from %d to %d; watchers behind it will be sent a snapshot", head, e.revision());
                            floor = e.revision() - 1;
                            head = e.revision() - 1;
                            append(Encoded.delta(e.revision(), e.payload(), System.currentTimeMillis()));
                            any = true;
                        }
                    }
                }
            } while (entries.size() == POLL_BATCH);
            if (any) {
                onAppend.run();
            }
        } catch (RuntimeException e) {
            LOG.debugf("change log poll failed: %s", e.getMessage());
        }
    }

    /** Caller holds the lock. */
    private void append(Encoded e) {
        int slot = (int) (e.revision & mask);
        ring[slot] = e;
        if (e.revision - floor > ring.length) {
            floor = e.revision - ring.length;
        }
        head = e.revision;
    }
}
