package io.weft.dataplane.dns;

import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Network;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Networks, records and queries for the DNS tests (addresses in 100.64.0.0/10 only). */
final class ZoneFixtures {
    private ZoneFixtures() {
    }

    static Network network(String name, String cidr, String domain) {
        return Network.newBuilder().setName(name).setCidr(cidr).setDnsDomain(domain).build();
    }

    static DnsRecord record(String name, String ip) {
        return DnsRecord.newBuilder().setName(name).setIp(ip).build();
    }

    /** blue (weave.local, 100.64.1.0/24) and red (red.example, 100.64.2.0/24) with a few names. */
    static DnsZone zone() {
        return DnsZone.build(List.of(network("blue", "100.64.1.0/24", ""), network("red", "100.64.2.0/24", "red.example")),
                List.of(record("web.weave.local", "100.64.1.1"), record("web.weave.local", "100.64.1.2"),
                        record("web.weave.local", "100.64.1.3"), record("db.prod.weave.local", "100.64.1.9"),
                        record("cache.red.example", "100.64.2.5"), record("stray.elsewhere.test", "100.64.1.7")),
                1, 42);
    }

    static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<String> answers(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            out.add(r.rdataToString());
        }
        return out;
    }
}
