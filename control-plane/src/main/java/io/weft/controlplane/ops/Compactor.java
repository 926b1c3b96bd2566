package io.weft.controlplane.ops;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.store.ChangeLogTable;
import io.weft.controlplane.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Keeps the change log bounded: only the newest weft.changelog.retain deltas stay. */
@ApplicationScoped
public class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class);

    @Inject
    Store store;
    @Inject
    WeftConfig config;

    @Scheduled(every = "${weft.changelog.compact-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compact() {
        compactNow();
    }

    /** Deletes deltas older than the retention; returns how many. */
    public int compactNow() {
        long keepFrom = store.currentRevision() - config.changelog().retain();
        if (keepFrom <= 0) {
            return 0;
        }
        int removed = store.read(c -> ChangeLogTable.deleteThrough(c, keepFrom));
        if (removed > 0) {
            LOG.debugf("compacted %d deltas through revision %d", removed, keepFrom);
        }
        return removed;
    }
}
