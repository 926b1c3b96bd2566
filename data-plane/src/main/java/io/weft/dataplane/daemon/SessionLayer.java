package io.weft.dataplane.daemon;

import io.weft.api.v1.Host;
import io.weft.dataplane.agent.HostKey;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.device.Sealing;
import io.weft.dataplane.seal.HandshakeTransport;
import io.weft.dataplane.seal.LocalIdentity;
import io.weft.dataplane.seal.NetworkPassword;
import io.weft.dataplane.seal.PeerSealStatus;
import io.weft.dataplane.seal.SealClock;
import io.weft.dataplane.seal.SealConfig;
import io.weft.dataplane.seal.SessionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The daemon's side of encryption: reads the settings once (weft.encryption, weft.password — the
 * password is turned into a key at start and never kept, logged or sent; only the derived key is
 * kept, in the state directory, see {@link PasswordKeyFile}), builds a fresh
 * {@link SessionManager} for each device (a new peer id means new sessions), keeps the members'
 * public keys in step with the topology, and answers status questions.
 */
public final class SessionLayer implements AutoCloseable {
    private final boolean encrypted;
    private final boolean passwordSet;
    private final NetworkPassword password;
    private final LocalIdentity identity;
    private final SealConfig config;
    /** Peer ids whose keys the current manager holds; guarded by this. */
    private final Set<Integer> keyed = new HashSet<>();
    private volatile SessionManager sessions;

    private SessionLayer(boolean encrypted, NetworkPassword password, LocalIdentity identity, SealConfig config) {
        this.encrypted = encrypted;
        this.password = password;
        this.passwordSet = password.isSet();
        this.identity = identity;
        this.config = config;
    }

    static SessionLayer from(DataPlaneConfig cfg, HostKey key, Path stateDir) throws IOException {
        String mode = cfg.encryption().trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("on") && !mode.equals("off")) {
            throw new IllegalArgumentException("weft.encryption (WEFT_ENCRYPTION) must be 'on' or 'off', not '"
                    + cfg.encryption() + "'");
        }
        boolean on = mode.equals("on");
        String pw = cfg.password().orElse("");
        if (!on && !pw.isEmpty()) {
            throw new IllegalArgumentException("a network password (WEFT_PASSWORD) needs encryption: unset it, or set"
                    + " WEFT_ENCRYPTION=on");
        }
        Duration rekey = cfg.rekeyAfter();
        if (rekey.isNegative() || rekey.isZero() || cfg.rekeyAfterBytes() <= 0) {
            throw new IllegalArgumentException("weft.rekey-after and weft.rekey-after-bytes must be positive");
        }
        SealConfig d = SealConfig.DEFAULTS;
        // A session outlives its re-key by as much as WireGuard's (120 s -> 180 s): time for the new one.
        Duration reject = rekey.plus(d.rejectAfter().minus(d.rekeyAfter()));
        SealConfig sc = new SealConfig(rekey, reject, d.rekeyAfterMessages(), d.rejectAfterMessages(),
                cfg.rekeyAfterBytes(), d.rekeyTimeout(), d.maxRetransmitInterval(), d.rekeyAttemptTime(),
                d.handshakeQueue(), d.perSourceRate(), d.perSourceBurst(), d.globalRate(), d.globalBurst());
        NetworkPassword password = NetworkPassword.none();
        if (on && !pw.isEmpty()) {
            password = NetworkPassword.of(pw);
            PasswordKeyFile.store(stateDir, password); // the derived key, so restarts need no password
        } else if (on) {
            password = PasswordKeyFile.load(stateDir);
        }
        return new SessionLayer(on, password, on ? LocalIdentity.of(key) : null, sc);
    }

    public boolean encrypted() {
        return encrypted;
    }

    /** For status: what protects the data path. */
    public String describe() {
        if (!encrypted) {
            return "none"; // plaintext (weft.encryption=off): for trusted networks only
        }
        return "aes-256-gcm, noise ikpsk2 x25519" + (passwordSet ? ", network password" : ", no password");
    }

    /**
     * The sealing for a new device with peer id {@code self}: a new session manager (the old one,
     * if any, is closed: its sessions belonged to the old id) whose handshakes and keepalives go
     * out through the device {@code device} supplies.
     */
    synchronized Sealing newSealing(int self, Supplier<Device> device) {
        close();
        if (!encrypted) {
            return Sealing.plaintext();
        }
        SessionManager m = new SessionManager(self, identity, password, config, SealClock.SYSTEM, new HandshakeTransport() {
            @Override
            public void send(int peerId, byte[] datagram, int offset, int length) {
                Device d = device.get();
                if (d != null) {
                    d.sendHandshake(peerId, datagram, offset, length);
                }
            }

            @Override
            public void sessionEstablished(int peerId) {
                Device d = device.get();
                if (d != null) {
                    d.sendKeepalive(peerId);
                }
            }
        });
        m.start();
        sessions = m;
        return new Sealing(m, m, m::onHandshake, true);
    }

    /** Members' public keys from the topology: new and changed keys in, departed hosts out (sessions end at once). */
    synchronized void syncPeers(TopologyView v) {
        SessionManager m = sessions;
        if (m == null) {
            return;
        }
        Set<Integer> seen = new HashSet<>();
        for (Host h : v.snapshot().getHostsList()) {
            int id = h.getPeerId();
            if (id == 0 || h.getName().equals(v.self()) || h.getPublicKey().size() != 32) {
                continue;
            }
            m.setPeer(id, h.getPublicKey().toByteArray());
            seen.add(id);
        }
        for (Integer id : keyed) {
            if (!seen.contains(id)) {
                m.removePeer(id);
            }
        }
        keyed.clear();
        keyed.addAll(seen);
    }

    /** The peer's session state, or null on a plaintext host or for a peer without a key yet. */
    public PeerSealStatus status(int peerId) {
        SessionManager m = sessions;
        return m == null ? null : m.status(peerId);
    }

    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public synchronized void close() {
        SessionManager m = sessions;
        sessions = null;
        keyed.clear();
        if (m != null) {
            m.close();
        }
    }
}
