package io.weft.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchSettingsTest {
    @TempDir
    Path dir;

    @Test
    void whatLaunchSavesStartReadsBackPrivately() throws Exception {
        Map<String, String> dp = new LinkedHashMap<>();
        dp.put("WEFT_CONTROL_PLANE_URL", "http://198.18.0.11:6785");
        dp.put("WEFT_JOIN_TOKEN", "odd = value\\ with\nnewline");
        Map<String, String> cp = Map.of("WEFT_DEFAULT_NETWORK_CIDR", "100.96.0.0/12");
        Path f = dir.resolve("launch.env");
        new LaunchSettings(dp, true, cp).save(f);
        LaunchSettings back = LaunchSettings.load(f);
        assertEquals(dp, back.dataPlaneEnv());
        assertEquals(cp, back.controlPlaneEnv());
        assertEquals(true, back.localControlPlane());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "it holds tokens");
    }

    @Test
    void neverWritesTheNetworkPassword() throws Exception {
        Map<String, String> dp = new LinkedHashMap<>();
        dp.put("WEFT_CONTROL_PLANE_URL", "http://198.18.0.11:6785");
        dp.put("WEFT_PASSWORD", "correct horse battery staple");
        Path f = dir.resolve("launch.env");
        new LaunchSettings(dp, false, Map.of()).save(f);
        assertFalse(Files.readString(f).contains("correct horse"), "the password is not stored in plain text");
        assertEquals(Map.of("WEFT_CONTROL_PLANE_URL", "http://198.18.0.11:6785"), LaunchSettings.load(f).dataPlaneEnv(),
                "start relies on the key the daemon derived and kept");
    }
}
