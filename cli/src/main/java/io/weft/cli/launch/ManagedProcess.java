package io.weft.cli.launch;

import io.weft.cli.WeftException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Weft service run in the background by launch/start: its own session (setsid, so it survives
 * the terminal), output appended to a log file, its PID in a pid file so stop finds exactly it.
 * A pid file whose process is gone, or is no longer a Java process of Weft (PID reused), counts as
 * not running.
 */
public final class ManagedProcess {
    private static final long STOP_GRACE_SECONDS = 30;

    private final String what;
    private final Path pidFile;
    private final Path log;

    ManagedProcess(String what, Path pidFile, Path log) {
        this.what = what;
        this.pidFile = pidFile;
        this.log = log;
    }

    public String what() {
        return what;
    }

    public Path log() {
        return log;
    }

    /** The running process, if the pid file names one that is still ours. */
    public Optional<ProcessHandle> running() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(ManagedProcess::isWeftJava);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isWeftJava(ProcessHandle p) {
        try {
            // /proc/PID/cmdline: NUL-separated argv; ProcessHandle.Info may hide arguments.
            String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
            return cmd.contains("java") && cmd.contains("quarkus-run.jar");
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts {@code java [javaOpts] -jar jar} with env added to this process's environment. */
    public ProcessHandle start(Path jar, List<String> javaOpts, Map<String, String> env, List<String> unset) {
        if (!Files.isRegularFile(jar)) {
            throw new WeftException("the " + what + " is not built: " + jar + " is missing (run 'mvn -B -DskipTests install' in the Weft"
                    + " source tree, or point WEFT_DATA_PLANE_JAR / WEFT_CONTROL_PLANE_JAR at quarkus-run.jar)");
        }
        List<String> argv = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(javaOpts);
        argv.add("-jar");
        argv.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(argv);
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.redirectInput(new File("/dev/null"));
        try {
            Files.createDirectories(log.getParent());
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            Files.writeString(pidFile, p.pid() + "\n");
            return p.toHandle();
        } catch (IOException e) {
            throw new WeftException("cannot start the " + what + ": " + e.getMessage());
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; removes the pid file. False when it was not running. */
    public boolean stop() {
        Optional<ProcessHandle> p = running();
        if (p.isPresent()) {
            ProcessHandle h = p.get();
            h.destroy();
            try {
                h.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    throw new WeftException("the " + what + " (pid " + h.pid() + ") did not exit after SIGKILL");
                }
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new WeftException("cannot remove " + pidFile + ": " + e.getMessage());
        }
        return p.isPresent();
    }

    /** The last lines of the log, to show why a start failed. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
