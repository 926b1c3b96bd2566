package io.weft.controlplane.ops;

import io.weft.api.v1.SystemInfo;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.store.ChangeLogTable;
import io.weft.controlplane.store.Store;
import io.weft.controlplane.watch.AgentWatchService;
import io.weft.controlplane.watch.WatchRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What SystemService.GetInfo and GET /api/v1/info report. */
@ApplicationScoped
public class SystemInfoSource {
    @Inject
    Store store;
    @Inject
    WeftConfig config;
    @Inject
    WatchRegistry watchers;

    public SystemInfo get() {
        return store.read(c -> SystemInfo.newBuilder()
                .setVersion(AgentWatchService.VERSION)
                .setRevision(store.currentRevision())
                .setOldestDeltaRevision(ChangeLogTable.oldest(c))
                .setStore(store.database().kind())
                .setDefaultNetwork(config.defaultNetwork().name())
                .setConnectedWatchers(watchers.size())
                .build());
    }
}
