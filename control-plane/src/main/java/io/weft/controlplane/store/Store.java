package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.jboss.logging.Logger;

import io.weft.api.v1.Delta;
import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runs reads and writes. A write takes the next global revision (locking the revision row, which
 * serialises writers across replicas), applies its statements, appends its changes to the change
 * log as one Delta, and commits — or rolls everything back when it throws or changed nothing.
 */
@ApplicationScoped
public class Store {
    private static final Logger LOG = Logger.getLogger(Store.class);

    @FunctionalInterface
    public interface WriteBody<T> {
        T run(WriteTx tx) throws SQLException;
    }

    @FunctionalInterface
    public interface ReadBody<T> {
        T run(Connection c) throws SQLException;
    }

    /** Told about every committed delta, in commit order per replica. */
    public interface CommitListener {
        void committed(long revision, byte[] delta);
    }

    private final Database db;
    private volatile CommitListener listener = (r, d) -> {
    };

    @Inject
    public Store(Database db) {
        this.db = db;
    }

    public void setCommitListener(CommitListener listener) {
        this.listener = listener;
    }

    public Database database() {
        return db;
    }

    public <T> T write(WriteBody<T> body) {
        byte[] payload = null;
        long rev;
        T result;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Sql.update(c, "UPDATE weft_revision SET rev = rev + 1 WHERE id = 1");
                rev = Sql.queryLong(c, "SELECT rev FROM weft_revision WHERE id = 1");
                WriteTx tx = new WriteTx(c, rev);
                result = body.run(tx);
                if (tx.changes().isEmpty()) {
                    c.rollback();
                    return result;
                }
                payload = Delta.newBuilder().setRevision(rev).addAllChanges(tx.changes()).build().toByteArray();
                Sql.update(c, "INSERT INTO changelog (rev, payload, created_ms) VALUES (?, ?, ?)", rev, payload, System.currentTimeMillis());
                c.commit();
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (Sql.isConstraintViolation(e)) {
                // Another writer won a race the checks above could not see (e.g. a replica).
                throw new WeftException(ErrorKind.ALREADY_EXISTS, "conflicting write: " + e.getMessage() + "; retry the call");
            }
            LOG.warn("write failed", e);
            throw new WeftException(ErrorKind.UNAVAILABLE, "database error: " + e.getMessage());
        }
        listener.committed(rev, payload);
        return result;
    }

    public <T> T read(ReadBody<T> body) {
        try (Connection c = db.connection()) {
            return body.run(c);
        } catch (SQLException e) {
            LOG.warn("read failed", e);
            throw new WeftException(ErrorKind.UNAVAILABLE, "database error: " + e.getMessage());
        }
    }

    /**
     * Reads a consistent view: holds the revision row so no writer commits meanwhile, and hands the
     * body the revision the view is at.
     */
    public <T> T readConsistent(ConsistentBody<T> body) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long rev = Sql.queryLong(c, "SELECT rev FROM weft_revision WHERE id = 1 FOR UPDATE");
                T result = body.run(c, rev);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            LOG.warn("consistent read failed", e);
            throw new WeftException(ErrorKind.UNAVAILABLE, "database error: " + e.getMessage());
        }
    }

    @FunctionalInterface
    public interface ConsistentBody<T> {
        T run(Connection c, long revision) throws SQLException;
    }

    public long currentRevision() {
        return read(c -> Sql.queryLong(c, "SELECT rev FROM weft_revision WHERE id = 1"));
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is going back to the pool or away; nothing else to do
        }
    }
}
