package io.weft.dataplane.device;

/**
 * Which peer owns which MAC address, for one network. Static entries come from the control plane
 * (endpoints it allocated) and always win; learned entries come from the source MAC of frames
 * received from peers and age out.
 *
 * <p>Lookups run per frame on the TAP reader thread and learning per frame on the underlay
 * thread, so nothing here takes a lock per packet: the map is copy-on-write ({@link LongMap}) and
 * only a new MAC copies it; a known MAC is refreshed with plain field writes, and its timestamp
 * only when it is more than {@link #REFRESH_NANOS} old, so a busy flow does not write shared
 * memory per frame. The table is bounded: a flood of invented source MACs cannot grow it without
 * limit (refused learns are counted, the frames still delivered).
 */
public final class MacTable {
    /** No owner known: flood. Peer id 0 is never assigned by the control plane. */
    public static final int NONE = 0;
    static final long REFRESH_NANOS = 1_000_000_000L;

    static final class Entry {
        final long mac;
        final boolean isStatic;
        volatile int peer;
        volatile long lastSeen;

        Entry(long mac, int peer, boolean isStatic, long now) {
            this.mac = mac;
            this.peer = peer;
            this.isStatic = isStatic;
            this.lastSeen = now;
        }
    }

    private final LongMap<Entry> map = new LongMap<>();
    private final int maxEntries;
    private volatile long refusedLearns;

    public MacTable(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Owner of {@code mac}, or {@link #NONE}. */
    public int lookup(long mac) {
        Entry e = map.get(mac);
        return e == null ? NONE : e.peer;
    }

    /** Records that {@code mac} was seen behind {@code peer}. Static entries are never overridden. */
    public void learn(long mac, int peer, long now) {
        Entry e = map.get(mac);
        if (e != null) {
            if (e.isStatic) {
                return;
            }
            if (e.peer != peer) {
                e.peer = peer; // the MAC moved (container migrated): follow it at once
            }
            if (now - e.lastSeen > REFRESH_NANOS) {
                e.lastSeen = now;
            }
            return;
        }
        if (map.putIfAbsent(mac, new Entry(mac, peer, false, now), maxEntries) == null) {
            refusedLearns++; // benign race on the count; it is a statistic
        }
    }

    public void putStatic(long mac, int peer) {
        map.put(mac, new Entry(mac, peer, true, 0));
    }

    public void removeStatic(long mac) {
        Entry e = map.get(mac);
        if (e != null && e.isStatic) {
            map.remove(mac);
        }
    }

    /** Drops learned entries not seen for {@code maxAgeNanos}; returns how many. */
    public int expire(long now, long maxAgeNanos) {
        return map.removeIf(e -> !e.isStatic && now - e.lastSeen > maxAgeNanos);
    }

    /** Drops learned entries pointing at a peer that left. */
    public int forgetPeer(int peer) {
        return map.removeIf(e -> !e.isStatic && e.peer == peer);
    }

    public int size() {
        return map.size();
    }

    public long refusedLearns() {
        return refusedLearns;
    }

    /** True for broadcast and multicast destinations (I/G bit set): these are flooded. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
