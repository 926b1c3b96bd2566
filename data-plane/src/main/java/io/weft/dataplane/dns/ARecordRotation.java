package io.weft.dataplane.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/** Round robin over a name's precomputed A records. */
final class ARecordRotation {
    private ARecordRotation() {
    }

    /** Adds all of the name's records to the answer, starting one further than the previous answer did. */
    static void addRotated(Message m, DnsZone.Addresses a) {
        ARecord[] r = a.records;
        int n = r.length;
        int start = Math.floorMod(a.next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            m.addRecord(r[(start + i) % n], Section.ANSWER);
        }
    }
}
