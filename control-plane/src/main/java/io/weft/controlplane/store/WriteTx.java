package io.weft.controlplane.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import io.weft.api.v1.Change;

/** An open write transaction: its connection, the revision it will commit as, and its changes. */
public final class WriteTx {
    private final Connection connection;
    private final long revision;
    private final List<Change> changes = new ArrayList<>();

    WriteTx(Connection connection, long revision) {
        this.connection = connection;
        this.revision = revision;
    }

    public Connection connection() {
        return connection;
    }

    /** The revision this transaction commits as (if it records any change). */
    public long revision() {
        return revision;
    }

    /**
     * The revision the store is at when this transaction ends: its own if it recorded changes,
     * otherwise the one before (a transaction without changes rolls back and commits nothing).
     */
    public long resultRevision() {
        return changes.isEmpty() ? revision - 1 : revision;
    }

    /** Records a change for watchers; a transaction without changes commits nothing. */
    public void record(Change change) {
        changes.add(change);
    }

    List<Change> changes() {
        return changes;
    }
}
