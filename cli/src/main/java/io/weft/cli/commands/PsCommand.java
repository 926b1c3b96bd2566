package io.weft.cli.commands;

import io.weft.api.v1.LocalPsEntry;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalPsResponse;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Json;
import io.weft.cli.output.StatusText;
import io.weft.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * weft ps [TARGET...]: one line per attached container (id, MAC, addresses), the host's own
 * exposed addresses first as "weave:expose", as the original printed them.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List the containers attached on this host.",
                "One line per container: id, MAC, addresses (ADDR/PREFIX, one per network). The first line, "
                + "weave:expose, holds the host's own exposed addresses."})
public class PsCommand extends DaemonCommand {
    static final String EXPOSE = "weave:expose";

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Only these containers (ids or targets as attached).")
    List<String> targets = new ArrayList<>();

    @Override
    void run(DaemonApi daemon) {
        LocalPsResponse r = daemon.call(s -> s.ps(LocalPsRequest.newBuilder().addAllContainers(targets).build()));
        print(json ? Json.of(r) : format(r.getEntriesList(), targets.isEmpty()));
    }

    /** Groups entries by container, in the daemon's order; withHost adds an empty weave:expose line. */
    static String format(List<LocalPsEntry> entries, boolean withHost) {
        Map<String, List<LocalPsEntry>> by = new LinkedHashMap<>();
        if (withHost) {
            by.put(EXPOSE, new ArrayList<>());
        }
        for (LocalPsEntry e : entries) {
            // The daemon keeps this host's addresses under a per-host id (weave:expose:<host>).
            String id = e.getContainerId().startsWith(EXPOSE + ":") ? EXPOSE : e.getContainerId();
            by.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
        }
        Table t = new Table();
        for (Map.Entry<String, List<LocalPsEntry>> c : by.entrySet()) {
            List<String> addrs = new ArrayList<>();
            String mac = "";
            for (LocalPsEntry e : c.getValue()) {
                addrs.add(e.getIp() + "/" + e.getPrefixLength());
                mac = mac.isEmpty() ? e.getMac() : mac;
            }
            t.row(StatusText.shortId(c.getKey()), mac, String.join(" ", addrs));
        }
        return t.toString();
    }
}
