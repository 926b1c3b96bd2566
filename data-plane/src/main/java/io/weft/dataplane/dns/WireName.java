package io.weft.dataplane.dns;

import java.util.Arrays;

/**
 * A domain name in lower-case wire form (length-prefixed labels, ending in the root's 0), usable
 * as a map key: the query path looks names up by their bytes without building dnsjava objects.
 */
final class WireName {
    final byte[] bytes;
    private final int hash;

    WireName(byte[] lowerCaseWire) {
        this.bytes = lowerCaseWire;
        this.hash = Arrays.hashCode(lowerCaseWire);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireName w && w.hash == hash && Arrays.equals(w.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Whether {@code name} (lower-case wire) is {@code suffix} or lies under it (label-aligned). */
    static boolean endsWith(byte[] name, byte[] suffix) {
        int start = name.length - suffix.length;
        if (start < 0) {
            return false;
        }
        for (int p = 0; p <= start; p += (name[p] & 0xff) + 1) {
            if (p == start) {
                return Arrays.equals(name, start, name.length, suffix, 0, suffix.length);
            }
            if (name[p] == 0) {
                break;
            }
        }
        return false;
    }
}
