package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;

import io.weft.api.v1.Host;

/** Rows of {@code hosts}. Lists (underlay endpoints, features) are stored comma-separated. */
public final class HostTable {
    private static final String COLUMNS = "name, peer_id, underlay, public_key, features, version, connected, last_seen_ms, rev";

    private HostTable() {
    }

    static Host map(ResultSet rs) throws SQLException {
        Host.Builder b = Host.newBuilder()
                .setName(rs.getString(1))
                .setPeerId(rs.getInt(2))
                .addAllUnderlayEndpoints(split(rs.getString(3)))
                .addAllFeatures(split(rs.getString(5)))
                .setVersion(rs.getString(6))
                .setConnected(rs.getBoolean(7))
                .setLastSeen(Timestamps.fromMillis(rs.getLong(8)))
                .setRevision(rs.getLong(9));
        byte[] key = rs.getBytes(4);
        if (key != null) {
            b.setPublicKey(ByteString.copyFrom(key));
        }
        return b.build();
    }

    static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    public static Host get(Connection c, String name) throws SQLException {
        return Sql.queryOne(c, HostTable::map, "SELECT " + COLUMNS + " FROM hosts WHERE name = ?", name);
    }

    public static List<Host> list(Connection c) throws SQLException {
        return Sql.query(c, HostTable::map, "SELECT " + COLUMNS + " FROM hosts ORDER BY name");
    }

    public static int nextPeerId(Connection c) throws SQLException {
        // Peer ids are never reused, even after a host is removed: a stale frame from a removed
        // host must never be taken for a new one's. The counter lives in weft_meta.
        String v = Sql.queryString(c, "SELECT v FROM weft_meta WHERE k = 'next_peer_id'");
        int next = v == null ? 1 : Integer.parseInt(v);
        if (v == null) {
            Sql.update(c, "INSERT INTO weft_meta (k, v) VALUES ('next_peer_id', ?)", String.valueOf(next + 1));
        } else {
            Sql.update(c, "UPDATE weft_meta SET v = ? WHERE k = 'next_peer_id'", String.valueOf(next + 1));
        }
        return next;
    }

    public static void upsert(Connection c, Host h, boolean exists) throws SQLException {
        String underlay = String.join(",", h.getUnderlayEndpointsList());
        String features = String.join(",", h.getFeaturesList());
        byte[] key = h.getPublicKey().isEmpty() ? null : h.getPublicKey().toByteArray();
        long seen = Timestamps.toMillis(h.getLastSeen());
        if (exists) {
            Sql.update(c, "UPDATE hosts SET underlay = ?, public_key = ?, features = ?, version = ?, connected = ?, last_seen_ms = ?, rev = ? WHERE name = ?",
                    underlay, key, features, h.getVersion(), h.getConnected(), seen, h.getRevision(), h.getName());
        } else {
            Sql.update(c, "INSERT INTO hosts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    h.getName(), (int) h.getPeerId(), underlay, key, features, h.getVersion(), h.getConnected(), seen, h.getRevision());
        }
    }

    /** Liveness is not topology: it changes without a revision (see HostManager). */
    public static void setConnected(Connection c, String name, boolean connected, long nowMs) throws SQLException {
        Sql.update(c, "UPDATE hosts SET connected = ?, last_seen_ms = ? WHERE name = ?", connected, nowMs, name);
    }

    public static void delete(Connection c, String name) throws SQLException {
        Sql.update(c, "DELETE FROM hosts WHERE name = ?", name);
    }
}
