package io.weft.dataplane.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * From query bytes to answer bytes, whatever the transport: validation (malformed → FORMERR or
 * dropped), the local answer or the upstream forward, EDNS0, truncation for UDP, metrics. Local
 * answers are sent before {@link #process} returns; forwarded ones later from the resolver's
 * thread. Never throws on client input.
 */
public final class QueryProcessor {
    /** Where an answer goes (a UDP peer, a TCP connection). Called at most once per query. */
    public interface Reply {
        void send(byte[] wire);
    }

    /** RFC 1035: what a UDP client without EDNS0 accepts. */
    static final int CLASSIC_UDP = 512;
    static final int HEADER = 12;

    private final DnsAnswerer answerer;
    private final Upstream upstream;
    private final DnsMetrics metrics;
    private final int maxUdpPayload;

    public QueryProcessor(DnsAnswerer answerer, Upstream upstream, DnsMetrics metrics, int maxUdpPayload) {
        this.answerer = answerer;
        this.upstream = upstream;
        this.metrics = metrics;
        this.maxUdpPayload = Math.max(CLASSIC_UDP, maxUdpPayload);
    }

    public void process(ByteBuffer in, boolean udp, Reply reply) {
        long t0 = System.nanoTime();
        if (in.remaining() < HEADER) {
            metrics.dropped("short");
            return;
        }
        int flags = in.get(in.position() + 2) & 0xff;
        if ((flags & 0x80) != 0) {
            // A response sent to a server: answering could start a loop between two servers.
            metrics.dropped("response");
            return;
        }
        byte[] fast = FastPath.answer(in, answerer.zone(), udp, maxUdpPayload);
        if (fast != null) {
            metrics.answered(FastPath.questionType(fast), fast[3] & 0xf, false, System.nanoTime() - t0);
            reply.send(fast);
            return;
        }
        int id = (in.get(in.position()) & 0xff) << 8 | (in.get(in.position() + 1) & 0xff);
        Message query;
        try {
            query = new Message(in);
        } catch (IOException | RuntimeException e) {
            finish(headerOnlyReply(id, (flags >> 3) & 0xf, Rcode.FORMERR), null, -1, udp, false, t0, reply);
            return;
        }
        Header h = query.getHeader();
        OPTRecord clientOpt = query.getOPT();
        Record question = query.getQuestion();
        int qtype = question == null ? -1 : question.getType();
        if (h.getOpcode() != Opcode.QUERY) {
            finish(headerOnlyReply(id, h.getOpcode(), Rcode.NOTIMP), clientOpt, qtype, udp, false, t0, reply);
            return;
        }
        if (h.getCount(Section.QUESTION) != 1 || h.getCount(Section.ANSWER) != 0) {
            finish(headerOnlyReply(id, Opcode.QUERY, Rcode.FORMERR), clientOpt, qtype, udp, false, t0, reply);
            return;
        }
        if (clientOpt != null && clientOpt.getVersion() > 0) {
            finish(DnsAnswerer.reply(query, Rcode.NOERROR), clientOpt, qtype, udp, false, t0, reply, Rcode.BADVERS);
            return;
        }
        Message local = answerer.answer(query);
        if (local != null) {
            finish(local, clientOpt, qtype, udp, false, t0, reply);
            return;
        }
        upstream.forward(query).whenComplete((answer, failure) -> {
            Message m = answer == null ? DnsAnswerer.reply(query, Rcode.SERVFAIL) : fromUpstream(query, answer);
            m.getHeader().unsetFlag(Flags.AA);
            finish(m, clientOpt, qtype, udp, true, t0, reply);
        });
    }

    /** The upstream's answer under the client's id and question (its case too), without its OPT. */
    private static Message fromUpstream(Message query, Message answer) {
        Message m = DnsAnswerer.reply(query, answer.getRcode() & 0xf);
        if (answer.getHeader().getFlag(Flags.AD)) {
            m.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : answer.getSection(section)) {
                if (!(r instanceof OPTRecord)) {
                    m.addRecord(r, section);
                }
            }
        }
        return m;
    }

    private static Message headerOnlyReply(int id, int opcode, int rcode) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setOpcode(opcode);
        m.getHeader().setRcode(rcode);
        return m;
    }

    private void finish(Message m, OPTRecord clientOpt, int qtype, boolean udp, boolean fromUpstream, long t0, Reply reply) {
        finish(m, clientOpt, qtype, udp, fromUpstream, t0, reply, m.getHeader().getRcode());
    }

    /**
     * Adds our OPT when the client sent one (EDNS0 is answered with EDNS0), encodes within the
     * client's UDP buffer (larger answers are cut at an RRset boundary with TC set, so the client
     * retries over TCP), counts and sends. {@code rcode} may be extended (BADVERS lives in the OPT).
     */
    private void finish(Message m, OPTRecord clientOpt, int qtype, boolean udp, boolean fromUpstream, long t0, Reply reply,
            int rcode) {
        int limit = 65535;
        if (udp) {
            limit = clientOpt == null ? CLASSIC_UDP : Math.min(maxUdpPayload, Math.max(CLASSIC_UDP, clientOpt.getPayloadSize()));
        }
        if (clientOpt != null) {
            m.addRecord(new OPTRecord(maxUdpPayload, rcode >>> 4, 0), Section.ADDITIONAL);
        }
        byte[] wire = m.toWire(limit);
        metrics.answered(qtype, rcode, fromUpstream, System.nanoTime() - t0);
        reply.send(wire);
    }
}
