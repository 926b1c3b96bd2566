package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Rows of {@code changelog}: one serialised Delta per revision. */
public final class ChangeLogTable {
    private ChangeLogTable() {
    }

    public record Entry(long revision, byte[] payload) {
    }

    public static List<Entry> after(Connection c, long revision, int limit) throws SQLException {
        return Sql.query(c, rs -> new Entry(rs.getLong(1), rs.getBytes(2)),
                "SELECT rev, payload FROM changelog WHERE rev > ? ORDER BY rev LIMIT " + limit, revision);
    }

    /** Oldest revision still in the log, or 0 when the log is empty. */
    public static long oldest(Connection c) throws SQLException {
        return Sql.queryLong(c, "SELECT COALESCE(MIN(rev), 0) FROM changelog");
    }

    /** Deletes entries at or below {@code revision}; returns how many. */
    public static int deleteThrough(Connection c, long revision) throws SQLException {
        return Sql.update(c, "DELETE FROM changelog WHERE rev <= ?", revision);
    }
}
