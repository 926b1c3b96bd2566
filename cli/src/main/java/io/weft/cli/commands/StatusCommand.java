package io.weft.cli.commands;

import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.IpamStatusResponse;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.ListDnsRecordsResponse;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import io.weft.cli.output.StatusText;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** weft status [peers | connections | dns | ipam | targets | networks]. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"This host's view of the network: a summary, or one section.",
                "Sections: peers, connections, dns, ipam, targets, networks."})
public class StatusCommand extends DaemonCommand {
    enum Section { peers, connections, dns, ipam, targets, networks }

    @Parameters(arity = "0..1", paramLabel = "SECTION", description = "One of: ${COMPLETION-CANDIDATES}.")
    Section section;

    @Override
    void run(DaemonApi daemon) {
        if (section == Section.ipam) {
            IpamStatusResponse r = daemon.call(s -> s.ipamStatus(IpamStatusRequest.getDefaultInstance()));
            print(json ? Json.of(r) : StatusText.ipam(r));
            return;
        }
        LocalStatus st = daemon.call(s -> s.status(LocalStatusRequest.getDefaultInstance()));
        if (section == null) {
            IpamStatusResponse ipam = null;
            String ipamError = "";
            try {
                ipam = daemon.call(s -> s.ipamStatus(IpamStatusRequest.getDefaultInstance()));
            } catch (WeftException e) {
                ipamError = e.getMessage(); // the summary still answers when the control plane is away
            }
            if (json) {
                Map<String, String> m = Json.members();
                m.put("status", Json.of(st));
                if (ipam != null) {
                    m.put("ipam", Json.of(ipam));
                }
                print(Json.object(m));
            } else {
                print(StatusText.summary(st, ipam, ipamError));
            }
            return;
        }
        if (section == Section.dns) {
            ListDnsRecordsResponse recs = daemon.call(s -> s.dnsList(ListDnsRecordsRequest.getDefaultInstance()));
            if (json) {
                Map<String, String> m = Json.members();
                m.put("dns", Json.of(st.getDns()));
                m.put("records", Json.of(recs));
                print(Json.object(m));
            } else {
                print(StatusText.dns(st, recs.getRecordsList()));
            }
            return;
        }
        if (json) {
            print(Json.of(st));
            return;
        }
        print(switch (section) {
            case peers -> StatusText.peers(st);
            case connections -> StatusText.connections(st);
            case targets -> StatusText.targets(st);
            case networks -> StatusText.networks(st);
            default -> throw new IllegalStateException(section.name());
        });
    }
}
