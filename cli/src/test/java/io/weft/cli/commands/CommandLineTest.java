package io.weft.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.api.v1.LocalPsEntry;
import io.weft.cli.Weft;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Weft.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void usageErrorsExitTwoWithOneLineNamingTheProblem() {
        Run r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("weft: ") && r.err().contains("frobnicate") && r.err().strip().lines().count() == 1, r.err());
        r = run("status", "bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bogus") && r.err().contains("weft status --help"), r.err());
        assertEquals(2, run("attach").code(), "attach needs a target");
        assertEquals(2, run("dns-add", "100.96.0.9").code(), "dns-add needs -h");
    }

    @Test
    void noDaemonExitsThreeAndSaysHowToStartOne() {
        Run r = run("status", "--api", "127.0.0.1:1");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("weft launch"), r.err());
    }

    @Test
    void badAddressArgumentIsAUsageError() {
        Run r = run("attach", "100.96.0.300", "netns:x", "--api", "127.0.0.1:1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("100.96.0.300"), r.err());
    }

    @Test
    void everyVerbHasHelp() {
        for (String verb : Weft.commandLine().getSubcommands().keySet()) {
            if (verb.equals("help")) {
                continue;
            }
            Run r = run(verb, "--help");
            assertEquals(0, r.code(), verb);
            assertTrue(r.out().startsWith("Usage: weft " + verb), verb + ": " + r.out());
        }
    }

    @Test
    void psGroupsAddressesPerContainerWithTheHostFirst() {
        String docker = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        String t = PsCommand.format(List.of(
                LocalPsEntry.newBuilder().setContainerId(docker).setMac("aa:00:00:00:00:01").setIp("100.96.0.1").setPrefixLength(12).build(),
                LocalPsEntry.newBuilder().setContainerId(docker).setMac("aa:00:00:00:00:02").setIp("100.64.1.1").setPrefixLength(24).build(),
                LocalPsEntry.newBuilder().setContainerId("netns:c2").setMac("aa:00:00:00:00:03").setIp("100.96.0.2").setPrefixLength(12).build()),
                true);
        assertEquals("weave:expose  -                  -\n"
                + "0123456789ab  aa:00:00:00:00:01  100.96.0.1/12 100.64.1.1/24\n"
                + "netns:c2      aa:00:00:00:00:03  100.96.0.2/12\n", t);
    }

    @Test
    void psShowsThisHostsExposedAddressesOnTheWeaveExposeLine() {
        String t = PsCommand.format(List.of(
                LocalPsEntry.newBuilder().setContainerId("weave:expose:h1").setMac("aa:00:00:00:00:09").setIp("100.96.0.9").setPrefixLength(12).build(),
                LocalPsEntry.newBuilder().setContainerId("netns:c2").setMac("aa:00:00:00:00:03").setIp("100.96.0.2").setPrefixLength(12).build()),
                true);
        assertEquals("weave:expose  aa:00:00:00:00:09  100.96.0.9/12\n"
                + "netns:c2      aa:00:00:00:00:03  100.96.0.2/12\n", t);
    }

    @Test
    void runSplitsAddressesFromDockerArgumentsAtTheDoubleDash() {
        Run r = run("run", "net:blue", "--api", "127.0.0.1:1", "--", "--name", "web", "img");
        // docker may be absent here: either way the addresses were not taken for docker's arguments
        assertTrue(r.code() != 0 && !r.err().contains("unknown option"), r.err());
    }
}
