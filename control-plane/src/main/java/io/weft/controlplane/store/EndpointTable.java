package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.weft.api.v1.Endpoint;
import io.weft.controlplane.model.Ipv4;

/**
 * Rows of {@code endpoints}, joined with their network's prefix and their DNS names (which live
 * in dns_records, keyed by endpoint id).
 */
public final class EndpointTable {
    private static final String SELECT = "SELECT e.id, e.network, e.host, e.container_id, e.mac, e.ip, e.rev, n.cidr "
            + "FROM endpoints e JOIN networks n ON n.name = e.network";

    private EndpointTable() {
    }

    static Endpoint.Builder map(ResultSet rs) throws SQLException {
        String cidr = rs.getString(8);
        return Endpoint.newBuilder()
                .setId(rs.getString(1))
                .setNetwork(rs.getString(2))
                .setHost(rs.getString(3))
                .setContainerId(rs.getString(4))
                .setMac(rs.getString(5))
                .setIp(Ipv4.format(rs.getLong(6)))
                .setRevision(rs.getLong(7))
                .setPrefixLength(Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)));
    }

    public static Endpoint get(Connection c, String id) throws SQLException {
        List<Endpoint> found = select(c, " WHERE e.id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    public static Endpoint byContainer(Connection c, String network, String containerId) throws SQLException {
        List<Endpoint> found = select(c, " WHERE e.network = ? AND e.container_id = ?", network, containerId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Filters are optional: null or empty matches everything. */
    public static List<Endpoint> list(Connection c, String network, String host, String containerId) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (network != null && !network.isEmpty()) {
            where.append(" AND e.network = ?");
            args.add(network);
        }
        if (host != null && !host.isEmpty()) {
            where.append(" AND e.host = ?");
            args.add(host);
        }
        if (containerId != null && !containerId.isEmpty()) {
            where.append(" AND e.container_id = ?");
            args.add(containerId);
        }
        return select(c, where + " ORDER BY e.network, e.ip", args.toArray());
    }

    private static List<Endpoint> select(Connection c, String tail, Object... args) throws SQLException {
        List<Endpoint.Builder> builders = Sql.query(c, EndpointTable::map, SELECT + tail, args);
        if (builders.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> names = namesOf(c, builders.size() == 1 ? builders.get(0).getId() : null);
        List<Endpoint> out = new ArrayList<>(builders.size());
        for (Endpoint.Builder b : builders) {
            out.add(b.addAllDnsNames(names.getOrDefault(b.getId(), List.of())).build());
        }
        return out;
    }

    private static Map<String, List<String>> namesOf(Connection c, String onlyEndpoint) throws SQLException {
        Map<String, List<String>> names = new HashMap<>();
        String sql = "SELECT endpoint_id, name FROM dns_records WHERE endpoint_id IS NOT NULL"
                + (onlyEndpoint != null ? " AND endpoint_id = ?" : "") + " ORDER BY name";
        Object[] args = onlyEndpoint != null ? new Object[] { onlyEndpoint } : new Object[0];
        for (String[] row : Sql.query(c, rs -> new String[] { rs.getString(1), rs.getString(2) }, sql, args)) {
            names.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]);
        }
        return names;
    }

    public static void insert(Connection c, String id, String network, String host, String containerId, String mac, long ip, long rev)
            throws SQLException {
        Sql.update(c, "INSERT INTO endpoints (id, network, host, container_id, mac, ip, rev) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, network, host, containerId, mac, ip, rev);
    }

    public static boolean macTaken(Connection c, String network, String mac) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM endpoints WHERE network = ? AND mac = ?", network, mac) > 0;
    }

    public static long countInNetwork(Connection c, String network) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM endpoints WHERE network = ?", network);
    }

    public static void delete(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM endpoints WHERE id = ?", id);
    }
}
