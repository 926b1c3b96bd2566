package io.weft.cli.setup;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host requirements of the data plane, each with the fix when it is not met. */
public final class HostCheck {
    /** One requirement: ok or not, and either what was found or how to fix it. */
    public record Result(String name, boolean ok, boolean required, String detail) {
    }

    private HostCheck() {
    }

    public static List<Result> all() {
        List<Result> r = new ArrayList<>();
        boolean root = isRoot();
        r.add(new Result("root", root, true, root ? "running as root" : "the daemon creates interfaces: run weft as root (sudo)"));
        boolean tun = Files.exists(Path.of("/dev/net/tun"));
        r.add(new Result("/dev/net/tun", tun, true, tun ? "present" : "load the tun module: modprobe tun (containers: --device /dev/net/tun)"));
        boolean ip = onPath("ip");
        r.add(new Result("iproute2", ip, true, ip ? "ip found" : "install it: apt-get install -y iproute2"));
        boolean nsenter = onPath("nsenter");
        r.add(new Result("nsenter", nsenter, true, nsenter ? "found (pid: and Docker targets)" : "install it: apt-get install -y util-linux"));
        boolean bridge = Files.isDirectory(Path.of("/sys/module/bridge")) || (root && ip && canMakeBridge());
        r.add(new Result("bridge support", bridge, true, bridge ? "bridge module available" : "load it: modprobe bridge"));
        r.add(udpFree(6783));
        r.add(tcpFree(6784));
        boolean java = true; // this command runs on it
        r.add(new Result("java", java, true, "Java " + Runtime.version().feature() + " (the daemon needs 17+)"));
        boolean docker = Files.exists(Path.of("/var/run/docker.sock"));
        r.add(new Result("docker", docker, false, docker ? "/var/run/docker.sock present: Docker containers can be attached"
                : "no /var/run/docker.sock: only pid: and netns: targets (fine without Docker)"));
        return r;
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String cmd) {
        String path = System.getenv("PATH") == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : System.getenv("PATH") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }

    private static boolean canMakeBridge() {
        String name = "weftchk" + ProcessHandle.current().pid() % 10000;
        try {
            Process p = new ProcessBuilder("ip", "link", "add", name, "type", "bridge").redirectErrorStream(true).start();
            boolean ok = p.waitFor() == 0;
            if (ok) {
                new ProcessBuilder("ip", "link", "del", name).redirectErrorStream(true).start().waitFor();
            }
            return ok;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(port))) {
            return new Result("port " + port + "/udp", true, true, "free (data path)");
        } catch (IOException e) {
            return new Result("port " + port + "/udp", false, true,
                    "in use (a running weft? 'weft status'; else find it: ss -ulpn 'sport = :" + port + "')");
        }
    }

    private static Result tcpFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return new Result("port " + port + "/tcp", true, true, "free (local API)");
        } catch (IOException e) {
            return new Result("port " + port + "/tcp", false, true,
                    "in use (a running weft? 'weft status'; else find it: ss -tlpn 'sport = :" + port + "')");
        }
    }
}
