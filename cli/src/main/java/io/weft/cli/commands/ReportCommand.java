package io.weft.cli.commands;

import io.weft.api.v1.IpamStatusRequest;
import io.weft.api.v1.ListDnsRecordsRequest;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalStatusRequest;
import io.weft.api.v1.LocalVersionRequest;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * weft report: the whole state as one JSON object (status, ps, version, and, when the control
 * plane answers, ipam and dns records; otherwise an "errors" member says why they are missing).
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "The whole state of this host as one JSON object.")
public class ReportCommand extends DaemonCommand {
    @Override
    void run(DaemonApi daemon) {
        Map<String, String> m = Json.members();
        m.put("status", Json.of(daemon.call(s -> s.status(LocalStatusRequest.getDefaultInstance()))));
        m.put("ps", Json.of(daemon.call(s -> s.ps(LocalPsRequest.getDefaultInstance()))));
        m.put("version", Json.of(daemon.call(s -> s.version(LocalVersionRequest.getDefaultInstance()))));
        Map<String, String> errors = Json.members();
        try {
            m.put("ipam", Json.of(daemon.call(s -> s.ipamStatus(IpamStatusRequest.getDefaultInstance()))));
        } catch (WeftException e) {
            errors.put("ipam", Json.string(e.getMessage()));
        }
        try {
            m.put("dns", Json.of(daemon.call(s -> s.dnsList(ListDnsRecordsRequest.getDefaultInstance()))));
        } catch (WeftException e) {
            errors.put("dns", Json.string(e.getMessage()));
        }
        if (!errors.isEmpty()) {
            m.put("errors", Json.object(errors));
        }
        print(Json.object(m));
    }
}
