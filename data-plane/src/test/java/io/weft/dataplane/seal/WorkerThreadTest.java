package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.wire.Header;
import io.weft.dataplane.wire.PacketType;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two managers with their real worker threads and the system clock, handshake datagrams handed
 * straight across: the handshake completes off the caller's thread. Waits are bounded polls.
 */
class WorkerThreadTest {
    @Test
    void handshakeCompletesOnTheWorkerThreads() throws Exception {
        LocalIdentity ia = LocalIdentity.generate();
        LocalIdentity ib = LocalIdentity.generate();
        AtomicReference<SessionManager> ra = new AtomicReference<>();
        AtomicReference<SessionManager> rb = new AtomicReference<>();
        AtomicReference<String> workerName = new AtomicReference<>();
        HandshakeTransport toB = (peer, d, off, len) -> {
            workerName.set(Thread.currentThread().getName());
            rb.get().onHandshake(1, d, off, len, SealTestNet.address(1));
        };
        HandshakeTransport toA = (peer, d, off, len) -> ra.get().onHandshake(2, d, off, len, SealTestNet.address(2));
        try (SessionManager a = new SessionManager(1, ia, NetworkPassword.none(), SealConfig.DEFAULTS, SealClock.SYSTEM, toB);
                SessionManager b = new SessionManager(2, ib, NetworkPassword.none(), SealConfig.DEFAULTS, SealClock.SYSTEM, toA)) {
            ra.set(a);
            rb.set(b);
            a.setPeer(2, ib.publicKey());
            b.setPeer(1, ia.publicKey());
            a.start();
            b.start();
            byte[] buf = new byte[Header.LENGTH + 12 + 4 + 16];
            int len = -1;
            for (int i = 0; i < 200 && len < 0; i++) { // at most ~10 s
                new Header().wrap(buf, 0).write(PacketType.HEARTBEAT, 0, 0, 0, 1, 2);
                Arrays.fill(buf, Header.LENGTH + 12, Header.LENGTH + 16, (byte) 7);
                len = a.seal(2, buf, 0, 4);
                if (len < 0) {
                    Thread.sleep(50);
                }
            }
            assertTrue(len > 0, "a session within the bounded wait");
            assertEquals("weft-handshake", workerName.get());
            assertEquals(4, b.open(1, buf, 0, len));
            assertEquals(7, buf[Header.LENGTH + 12]);
        }
    }
}
