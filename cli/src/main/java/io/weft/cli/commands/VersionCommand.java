package io.weft.cli.commands;

import io.weft.api.v1.LocalVersion;
import io.weft.api.v1.LocalVersionRequest;
import io.weft.cli.WeftException;
import io.weft.cli.daemon.DaemonApi;
import io.weft.cli.output.Fields;
import io.weft.cli.output.Json;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** weft version: the CLI's, the daemon's and the control plane's versions. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Versions of this command, of this host's daemon and of its control plane (when they answer).")
public class VersionCommand extends DaemonCommand {
    /** The CLI's own version (jar manifest), for --version and this verb. */
    public static final class CliVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"weft " + cli()};
        }
    }

    static String cli() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    @Override
    void run(DaemonApi daemon) {
        LocalVersion v = null;
        String why = "";
        try {
            v = daemon.call(s -> s.version(LocalVersionRequest.getDefaultInstance()));
        } catch (WeftException e) {
            why = e.getMessage(); // the CLI's version is still worth printing
        }
        if (json) {
            Map<String, String> m = Json.members();
            m.put("cli", Json.string(cli()));
            m.put("daemon", v == null ? Json.string("unknown: " + why) : Json.of(v));
            print(Json.object(m));
        } else {
            Fields f = new Fields().add("weft", cli());
            if (v == null) {
                f.add("daemon", "unknown: " + why);
            } else {
                f.add("daemon", v.getDataPlane());
                f.add("control plane", v.hasControlPlane() ? v.getControlPlane().getVersion() + " (store " + v.getControlPlane().getStore()
                        + ", revision " + v.getControlPlane().getRevision() + ")" : "unknown: " + v.getControlPlaneError());
            }
            print(f.toString());
        }
        if (v == null) {
            throw new WeftException(WeftException.NO_DAEMON, why);
        }
    }
}
