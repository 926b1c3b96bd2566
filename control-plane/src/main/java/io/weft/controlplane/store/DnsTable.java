package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.weft.api.v1.DnsRecord;
import io.weft.controlplane.model.Ipv4;

/** Rows of {@code dns_records}; names are stored lower case, so lookups are case-insensitive. */
public final class DnsTable {
    private static final String SELECT = "SELECT name, ip, endpoint_id, host, container_id, rev FROM dns_records";

    private DnsTable() {
    }

    static DnsRecord map(ResultSet rs) throws SQLException {
        String ep = rs.getString(3);
        return DnsRecord.newBuilder()
                .setName(rs.getString(1))
                .setIp(Ipv4.format(rs.getLong(2)))
                .setEndpointId(ep == null ? "" : ep)
                .setHost(rs.getString(4))
                .setContainerId(rs.getString(5))
                .setRevision(rs.getLong(6))
                .build();
    }

    public static DnsRecord get(Connection c, String name, long ip) throws SQLException {
        return Sql.queryOne(c, DnsTable::map, SELECT + " WHERE name = ? AND ip = ?", name, ip);
    }

    public static List<DnsRecord> byName(Connection c, String name) throws SQLException {
        return Sql.query(c, DnsTable::map, SELECT + " WHERE name = ? ORDER BY ip", name);
    }

    public static List<DnsRecord> byEndpoint(Connection c, String endpointId) throws SQLException {
        return Sql.query(c, DnsTable::map, SELECT + " WHERE endpoint_id = ? ORDER BY name, ip", endpointId);
    }

    public static List<DnsRecord> byContainer(Connection c, String containerId) throws SQLException {
        return Sql.query(c, DnsTable::map, SELECT + " WHERE container_id = ? ORDER BY name, ip", containerId);
    }

    public static List<DnsRecord> byHost(Connection c, String host) throws SQLException {
        return Sql.query(c, DnsTable::map, SELECT + " WHERE host = ? ORDER BY name, ip", host);
    }

    public static List<DnsRecord> list(Connection c, String name, String domain, String host) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (name != null && !name.isEmpty()) {
            where.append(" AND name = ?");
            args.add(name);
        }
        if (domain != null && !domain.isEmpty()) {
            where.append(" AND (name = ? OR name LIKE ?)");
            args.add(domain);
            args.add("%." + domain.replace("%", "").replace("_", ""));
        }
        if (host != null && !host.isEmpty()) {
            where.append(" AND host = ?");
            args.add(host);
        }
        return Sql.query(c, DnsTable::map, SELECT + where + " ORDER BY name, ip", args.toArray());
    }

    public static void insert(Connection c, String name, long ip, String endpointId, String host, String containerId, long rev)
            throws SQLException {
        Sql.update(c, "INSERT INTO dns_records (name, ip, endpoint_id, host, container_id, rev) VALUES (?, ?, ?, ?, ?, ?)",
                name, ip, endpointId, host, containerId, rev);
    }

    public static void delete(Connection c, String name, long ip) throws SQLException {
        Sql.update(c, "DELETE FROM dns_records WHERE name = ? AND ip = ?", name, ip);
    }

    public static long count(Connection c) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM dns_records");
    }
}
