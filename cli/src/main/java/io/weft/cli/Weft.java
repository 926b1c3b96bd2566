package io.weft.cli;

import io.weft.cli.commands.AttachCommand;
import io.weft.cli.commands.ConnectCommand;
import io.weft.cli.commands.DetachCommand;
import io.weft.cli.commands.DnsAddCommand;
import io.weft.cli.commands.DnsLookupCommand;
import io.weft.cli.commands.DnsRemoveCommand;
import io.weft.cli.commands.ExposeCommand;
import io.weft.cli.commands.ForgetCommand;
import io.weft.cli.commands.HideCommand;
import io.weft.cli.commands.LaunchCommand;
import io.weft.cli.commands.LaunchDnsCommand;
import io.weft.cli.commands.PsCommand;
import io.weft.cli.commands.ReportCommand;
import io.weft.cli.commands.ResetCommand;
import io.weft.cli.commands.RunCommand;
import io.weft.cli.commands.SetupCommand;
import io.weft.cli.commands.StartCommand;
import io.weft.cli.commands.StatusCommand;
import io.weft.cli.commands.StopCommand;
import io.weft.cli.commands.StopDnsCommand;
import io.weft.cli.commands.VersionCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command. Exit codes: 0 success, 1 the operation failed, 2 bad command line,
 * 3 no daemon answers on this host; every failure prints one line "weft: REASON" on stderr.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = VersionCommand.CliVersion.class,
        description = "Weft container overlay network: drive this host's daemon (the one of the network namespace weft runs in).",
        subcommands = {SetupCommand.class, LaunchCommand.class, StopCommand.class, StartCommand.class, ResetCommand.class,
                ConnectCommand.class, ForgetCommand.class, AttachCommand.class, DetachCommand.class, RunCommand.class,
                PsCommand.class, ExposeCommand.class, HideCommand.class, StatusCommand.class, ReportCommand.class,
                DnsAddCommand.class, DnsRemoveCommand.class, DnsLookupCommand.class, LaunchDnsCommand.class,
                StopDnsCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Weft implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command (weft --help lists them)");
    }

    /** The configured command line, for {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Weft());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof WeftException w) {
                cmd.getErr().println("weft: " + w.getMessage());
                return w.exitCode();
            }
            cmd.getErr().println("weft: internal error: " + e);
            return WeftException.FAILED;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("weft: " + e.getMessage() + " (see 'weft " + subcommandPath(e.getCommandLine()) + "--help')");
            return WeftException.USAGE;
        });
        return cl;
    }

    private static String subcommandPath(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.equals("weft") ? "" : q.substring("weft ".length()) + " ";
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
