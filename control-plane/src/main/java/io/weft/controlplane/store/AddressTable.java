package io.weft.controlplane.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.weft.api.v1.Allocation;
import io.weft.api.v1.HostUsage;
import io.weft.controlplane.model.Ipv4;

/** Rows of {@code addresses}: one per handed-out address; (network, ip) is the primary key. */
public final class AddressTable {
    private static final int SCAN_BATCH = 256;
    private static final String SELECT = "SELECT a.network, a.ip, a.host, a.owner, a.endpoint_id, a.rev, n.cidr "
            + "FROM addresses a JOIN networks n ON n.name = a.network";

    private AddressTable() {
    }

    static Allocation map(ResultSet rs) throws SQLException {
        String cidr = rs.getString(7);
        String ep = rs.getString(5);
        return Allocation.newBuilder()
                .setNetwork(rs.getString(1))
                .setIp(Ipv4.format(rs.getLong(2)))
                .setHost(rs.getString(3))
                .setOwner(rs.getString(4))
                .setEndpointId(ep == null ? "" : ep)
                .setRevision(rs.getLong(6))
                .setPrefixLength(Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)))
                .build();
    }

    public static Allocation get(Connection c, String network, long ip) throws SQLException {
        return Sql.queryOne(c, AddressTable::map, SELECT + " WHERE a.network = ? AND a.ip = ?", network, ip);
    }

    public static List<Allocation> list(Connection c, String network, String host) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (network != null && !network.isEmpty()) {
            where.append(" AND a.network = ?");
            args.add(network);
        }
        if (host != null && !host.isEmpty()) {
            where.append(" AND a.host = ?");
            args.add(host);
        }
        return Sql.query(c, AddressTable::map, SELECT + where + " ORDER BY a.network, a.ip", args.toArray());
    }

    /**
     * The first free address in [from, to], or -1. Walks the primary-key index from {@code from} in
     * batches, so with the usual sequential allocation it reads one short batch, not the whole range.
     */
    public static long firstFree(Connection c, String network, long from, long to) throws SQLException {
        long candidate = from;
        while (candidate <= to) {
            List<Long> taken = Sql.query(c, rs -> rs.getLong(1),
                    "SELECT ip FROM addresses WHERE network = ? AND ip >= ? AND ip <= ? ORDER BY ip LIMIT " + SCAN_BATCH,
                    network, candidate, to);
            for (long ip : taken) {
                if (ip > candidate) {
                    return candidate;
                }
                candidate = ip + 1;
            }
            if (taken.size() < SCAN_BATCH) {
                return candidate <= to ? candidate : -1;
            }
        }
        return -1;
    }

    public static void insert(Connection c, String network, long ip, String host, String owner, String endpointId, long rev)
            throws SQLException {
        Sql.update(c, "INSERT INTO addresses (network, ip, host, owner, endpoint_id, rev) VALUES (?, ?, ?, ?, ?, ?)",
                network, ip, host, owner, endpointId, rev);
    }

    public static void setEndpoint(Connection c, String network, long ip, String endpointId) throws SQLException {
        Sql.update(c, "UPDATE addresses SET endpoint_id = ? WHERE network = ? AND ip = ?", endpointId, network, ip);
    }

    public static int delete(Connection c, String network, long ip) throws SQLException {
        return Sql.update(c, "DELETE FROM addresses WHERE network = ? AND ip = ?", network, ip);
    }

    public static int deleteByHost(Connection c, String host) throws SQLException {
        return Sql.update(c, "DELETE FROM addresses WHERE host = ?", host);
    }

    public static long countInNetwork(Connection c, String network) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM addresses WHERE network = ?", network);
    }

    public static List<HostUsage> usageByHost(Connection c, String network) throws SQLException {
        return Sql.query(c, rs -> HostUsage.newBuilder().setHost(rs.getString(1)).setUsed(rs.getLong(2)).build(),
                "SELECT host, COUNT(*) FROM addresses WHERE network = ? GROUP BY host ORDER BY host", network);
    }

    /** Used addresses per network, for metrics. */
    public static List<Object[]> usedPerNetwork(Connection c) throws SQLException {
        return Sql.query(c, rs -> new Object[] { rs.getString(1), rs.getLong(2) },
                "SELECT network, COUNT(*) FROM addresses GROUP BY network");
    }
}
