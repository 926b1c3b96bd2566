package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import com.google.protobuf.util.Timestamps;

import io.weft.api.v1.LinkState;
import io.weft.api.v1.PeerTarget;

/** Rows of {@code peer_targets} and {@code links}. */
public final class PeerTable {
    private static final String LINK_COLUMNS = "from_host, to_host, state, rtt_micros, via, encrypted, reason, endpoint, updated_ms";

    private PeerTable() {
    }

    static PeerTarget mapTarget(ResultSet rs) throws SQLException {
        return PeerTarget.newBuilder().setHost(rs.getString(1)).setAddress(rs.getString(2)).setRevision(rs.getLong(3)).build();
    }

    static LinkState mapLink(ResultSet rs) throws SQLException {
        return LinkState.newBuilder()
                .setFromHost(rs.getString(1))
                .setToHost(rs.getString(2))
                .setStateValue(rs.getInt(3))
                .setRttMicros(rs.getInt(4))
                .setVia(rs.getString(5))
                .setEncrypted(rs.getBoolean(6))
                .setReason(rs.getString(7))
                .setEndpoint(rs.getString(8))
                .setUpdated(Timestamps.fromMillis(rs.getLong(9)))
                .build();
    }

    /** Targets for one host (its own and the global ones), or all when host is empty. */
    public static List<PeerTarget> targets(Connection c, String host) throws SQLException {
        if (host == null || host.isEmpty()) {
            return Sql.query(c, PeerTable::mapTarget, "SELECT host, address, rev FROM peer_targets ORDER BY host, address");
        }
        return Sql.query(c, PeerTable::mapTarget,
                "SELECT host, address, rev FROM peer_targets WHERE host = ? OR host = '' ORDER BY host, address", host);
    }

    /** Targets stored for exactly this scope ('' = global). */
    public static List<PeerTarget> targetsOfScope(Connection c, String scope) throws SQLException {
        return Sql.query(c, PeerTable::mapTarget, "SELECT host, address, rev FROM peer_targets WHERE host = ? ORDER BY address", scope);
    }

    public static boolean hasTarget(Connection c, String scope, String address) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM peer_targets WHERE host = ? AND address = ?", scope, address) > 0;
    }

    public static void insertTarget(Connection c, String scope, String address, long rev) throws SQLException {
        Sql.update(c, "INSERT INTO peer_targets (host, address, rev) VALUES (?, ?, ?)", scope, address, rev);
    }

    public static void deleteTarget(Connection c, String scope, String address) throws SQLException {
        Sql.update(c, "DELETE FROM peer_targets WHERE host = ? AND address = ?", scope, address);
    }

    public static List<LinkState> links(Connection c, String fromHost) throws SQLException {
        if (fromHost == null || fromHost.isEmpty()) {
            return Sql.query(c, PeerTable::mapLink, "SELECT " + LINK_COLUMNS + " FROM links ORDER BY from_host, to_host");
        }
        return Sql.query(c, PeerTable::mapLink, "SELECT " + LINK_COLUMNS + " FROM links WHERE from_host = ? ORDER BY to_host", fromHost);
    }

    /** Links that touch a host, in either direction. */
    public static List<LinkState> linksTouching(Connection c, String host) throws SQLException {
        return Sql.query(c, PeerTable::mapLink,
                "SELECT " + LINK_COLUMNS + " FROM links WHERE from_host = ? OR to_host = ?", host, host);
    }

    public static LinkState link(Connection c, String from, String to) throws SQLException {
        return Sql.queryOne(c, PeerTable::mapLink, "SELECT " + LINK_COLUMNS + " FROM links WHERE from_host = ? AND to_host = ?", from, to);
    }

    public static void upsertLink(Connection c, LinkState l, boolean exists) throws SQLException {
        long updated = Timestamps.toMillis(l.getUpdated());
        if (exists) {
            Sql.update(c, "UPDATE links SET state = ?, rtt_micros = ?, via = ?, encrypted = ?, reason = ?, endpoint = ?, updated_ms = ? "
                    + "WHERE from_host = ? AND to_host = ?",
                    l.getStateValue(), (int) l.getRttMicros(), l.getVia(), l.getEncrypted(), l.getReason(), l.getEndpoint(), updated,
                    l.getFromHost(), l.getToHost());
        } else {
            Sql.update(c, "INSERT INTO links (" + LINK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    l.getFromHost(), l.getToHost(), l.getStateValue(), (int) l.getRttMicros(), l.getVia(), l.getEncrypted(),
                    l.getReason(), l.getEndpoint(), updated);
        }
    }

    public static void deleteLink(Connection c, String from, String to) throws SQLException {
        Sql.update(c, "DELETE FROM links WHERE from_host = ? AND to_host = ?", from, to);
    }
}
