package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.weft.api.v1.Network;
import io.weft.controlplane.model.Cidr;

/** Rows of {@code networks}. */
public final class NetworkTable {
    private static final String COLUMNS = "name, cidr, dns_domain, isolation_id, created_rev";

    private NetworkTable() {
    }

    static Network map(ResultSet rs) throws SQLException {
        return Network.newBuilder()
                .setName(rs.getString(1))
                .setCidr(rs.getString(2))
                .setDnsDomain(rs.getString(3))
                .setIsolationId(rs.getInt(4))
                .setCreatedRevision(rs.getLong(5))
                .build();
    }

    public static Network get(Connection c, String name) throws SQLException {
        return Sql.queryOne(c, NetworkTable::map, "SELECT " + COLUMNS + " FROM networks WHERE name = ?", name);
    }

    public static List<Network> list(Connection c) throws SQLException {
        return Sql.query(c, NetworkTable::map, "SELECT " + COLUMNS + " FROM networks ORDER BY name");
    }

    public static boolean isolationIdTaken(Connection c, int id) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM networks WHERE isolation_id = ?", id) > 0;
    }

    public static int maxIsolationId(Connection c) throws SQLException {
        return (int) Sql.queryLong(c, "SELECT COALESCE(MAX(isolation_id), 0) FROM networks");
    }

    public static void insert(Connection c, Network n, Cidr cidr) throws SQLException {
        Sql.update(c, "INSERT INTO networks (name, cidr, first_ip, last_ip, dns_domain, isolation_id, created_rev) VALUES (?, ?, ?, ?, ?, ?, ?)",
                n.getName(), n.getCidr(), cidr.first(), cidr.last(), n.getDnsDomain(), (int) n.getIsolationId(), n.getCreatedRevision());
    }

    public static void delete(Connection c, String name) throws SQLException {
        Sql.update(c, "DELETE FROM networks WHERE name = ?", name);
    }
}
