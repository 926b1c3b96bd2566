package io.weft.dataplane.conn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.wire.DropCounters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {
    private static InetSocketAddress underlay(int last) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) last}), 6783);
    }

    private static void fill(DatagramBatch b, int n, int len, InetSocketAddress to, int seed) {
        fill(b, n, len, to, seed, null);
    }

    /**
     * Datagram i: bytes (seed + i * 7 + k); the last one shorter. With {@code tails}, all but the
     * first 40 bytes of each are a tail in that direct buffer (at i * 2048) instead of in the slot.
     */
    private static void fill(DatagramBatch b, int n, int len, InetSocketAddress to, int seed, ByteBuffer tails) {
        b.clear();
        for (int i = 0; i < n; i++) {
            int s = b.add();
            int l = i == n - 1 ? len / 2 : len; // a shorter tail, as after segmenting a super-frame
            int inSlot = tails == null ? l : Math.min(40, l);
            byte[] d = b.buffer(s);
            for (int k = 0; k < l; k++) {
                if (k < inSlot) {
                    d[3 + k] = (byte) (seed + i * 7 + k);
                } else {
                    tails.put(i * 2048 + k - inSlot, (byte) (seed + i * 7 + k));
                }
            }
            b.set(s, 3, inSlot, to);
            if (l > inSlot) {
                b.setTail(s, tails, i * 2048, l - inSlot);
            }
        }
    }

    @Test
    void memoryNetworkDeliversCutsAndBoundsQueues() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        MemoryTransport a = net.attach(underlay(1));
        MemoryTransport b = net.attach(underlay(2), 8, 2048, 10);
        List<byte[]> got = new ArrayList<>();
        List<InetSocketAddress> from = new ArrayList<>();
        b.start(batch -> {
            assertTrue(batch.count() <= 8);
            for (int i = 0; i < batch.count(); i++) {
                got.add(Arrays.copyOfRange(batch.buffer(i), batch.offset(i), batch.offset(i) + batch.length(i)));
                from.add(batch.endpoint(i));
            }
        });
        DatagramBatch out = new DatagramBatch(16, 2048);
        fill(out, 12, 100, b.localAddress(), 1);
        assertEquals(2, a.send(out), "inbox of 10 refuses the last 2");
        assertEquals(10, net.deliverAll());
        assertEquals(10, got.size());
        assertEquals(a.localAddress(), from.get(0));
        assertEquals((byte) 1, got.get(0)[0]);

        net.cut(a.localAddress(), b.localAddress());
        fill(out, 3, 100, b.localAddress(), 1);
        assertEquals(0, a.send(out), "a cut link loses silently");
        assertEquals(0, net.deliverAll());
        assertEquals(3, net.lost());
        net.heal(a.localAddress(), b.localAddress());
        a.send(out);
        assertEquals(3, net.deliverAll());
    }

    @Test
    void gsoRunsRespectKernelRules() throws Exception {
        DatagramBatch b = new DatagramBatch(200, 2048);
        InetSocketAddress x = underlay(1);
        InetSocketAddress y = underlay(2);
        int[] lens = {1400, 1400, 1400, 700, 1400, 1400, 1500};
        for (int len : lens) {
            b.set(b.add(), 0, len, x);
        }
        b.set(b.add(), 0, 1400, y);
        assertEquals(4, EpollUdpTransport.gsoRun(b, 0, b.count()), "shorter tail ends the run");
        assertEquals(2, EpollUdpTransport.gsoRun(b, 4, b.count()), "a longer datagram cannot join");
        assertEquals(1, EpollUdpTransport.gsoRun(b, 6, b.count()), "another endpoint cannot join");
        b.clear();
        for (int i = 0; i < 100; i++) {
            b.set(b.add(), 0, 1000, x);
        }
        assertEquals(64, EpollUdpTransport.gsoRun(b, 0, 100), "at most 64 segments");
        b.clear();
        for (int i = 0; i < 60; i++) {
            b.set(b.add(), 0, 1500, x);
        }
        assertEquals(43, EpollUdpTransport.gsoRun(b, 0, 60), "at most MAX_UDP_PAYLOAD (65473) bytes");
        b.clear();
        for (int i = 0; i < 10; i++) {
            b.set(b.add(), 0, 1000, x);
        }
        b.endRun(3);
        assertEquals(4, EpollUdpTransport.gsoRun(b, 0, 10), "a datagram marked endRun ends its run (super-frame)");
        assertEquals(6, EpollUdpTransport.gsoRun(b, 4, 10), "the next run starts after it");
        b.endRun(4);
        assertEquals(1, EpollUdpTransport.gsoRun(b, 4, 10), "a marked first datagram goes alone");
    }

    /** Loopback only (allowed without root): a batch to ourselves and to a second socket. */
    @Test
    void epollSendsAndReceivesBatchesOnLoopback() throws Exception {
        loopback(false);
    }

    /** The same through a thread's own sender (sendmmsg + UDP_SEGMENT from the calling thread). */
    @Test
    void epollSenderSendsBatchesFromTheCallingThread() throws Exception {
        loopback(true);
    }

    /**
     * Datagrams whose payload is a tail in direct memory (plaintext segments sent straight from
     * the TAP's read buffer) arrive byte for byte as if built in their slots, GSO runs included.
     */
    @Test
    void tailsAreGatheredIntoTheirDatagrams() throws Exception {
        loopback(true, ByteBuffer.allocateDirect(200 * 2048));
        loopback(false, ByteBuffer.allocateDirect(200 * 2048));
    }

    /**
     * The daemon's way of receiving: Netty stops reading and the caller's thread reads the socket
     * through a {@link GroReceiver} (one recvmsg per GRO read, split by the kernel's segment size),
     * with the same datagrams, bytes and senders as the event loop delivers.
     */
    @Test
    void aTakenOverSocketIsReadByTheCallersThread() throws Exception {
        loopback(true, null, true);
        loopback(true, ByteBuffer.allocateDirect(200 * 2048), true);
    }

    private void loopback(boolean ownSender) throws Exception {
        loopback(ownSender, null);
    }

    private void loopback(boolean ownSender, ByteBuffer tails) throws Exception {
        loopback(ownSender, tails, false);
    }

    private void loopback(boolean ownSender, ByteBuffer tails, boolean takeOver) throws Exception {
        assumeTrue(EpollUdpTransport.isAvailable(), "native epoll not available");
        for (boolean offloads : new boolean[] {true, false}) {
            DropCounters drops = new DropCounters();
            EpollUdpTransport.Options o = new EpollUdpTransport.Options(4 << 20, offloads, offloads, 64, 2048);
            InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (EpollUdpTransport a = EpollUdpTransport.bind(lo, null, o, drops);
                 EpollUdpTransport b = EpollUdpTransport.bind(lo, null, o, drops)) {
                int n = 150;
                CountDownLatch done = new CountDownLatch(n + 3);
                List<byte[]> got = new ArrayList<>();
                List<InetSocketAddress> senders = new ArrayList<>();
                Transport.Receiver collect = batch -> {
                    for (int i = 0; i < batch.count(); i++) {
                        synchronized (got) {
                            got.add(Arrays.copyOfRange(batch.buffer(i), batch.offset(i), batch.offset(i) + batch.length(i)));
                            senders.add(batch.endpoint(i));
                        }
                        done.countDown();
                    }
                };
                GroReceiver taken = takeOver ? b.takeOverReceive() : null;
                b.start(takeOver ? batch -> { throw new AssertionError("the event loop must not read any more"); } : collect);
                CountDownLatch self = new CountDownLatch(3);
                a.start(batch -> {
                    for (int i = 0; i < batch.count(); i++) {
                        self.countDown();
                    }
                });
                DatagramBatch out = new DatagramBatch(n, 2048);
                Transport.Sender tx = ownSender ? a.newSender(n, 2048) : a::send;
                fill(out, n, 1400, b.localAddress(), 5, tails);
                assertEquals(0, tx.send(out));
                fill(out, 3, 200, a.localAddress(), 9);
                assertEquals(0, tx.send(out));
                assertTrue(self.await(5, TimeUnit.SECONDS), "datagrams to ourselves arrive");
                fill(out, 3, 200, b.localAddress(), 11);
                tx.send(out);
                if (taken != null) {
                    DatagramBatch in = b.newReceiveBatch();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (done.getCount() > 0 && System.nanoTime() < deadline) {
                        if (taken.drain(in, collect, 16) == 0) {
                            Thread.sleep(1);
                        }
                    }
                }
                assertTrue(done.await(5, TimeUnit.SECONDS), "all datagrams arrive; drops " + drops);
                synchronized (got) {
                    // Loopback does not reorder; check lengths, contents and the sender endpoint.
                    for (int i = 0; i < n; i++) {
                        byte[] d = got.get(i);
                        assertEquals(i == n - 1 ? 700 : 1400, d.length, "datagram " + i + " gso=" + a.gsoEnabled());
                        byte[] expect = new byte[d.length];
                        for (int k = 0; k < d.length; k++) {
                            expect[k] = (byte) (5 + i * 7 + k);
                        }
                        assertArrayEquals(expect, d);
                        assertEquals(a.localAddress().getPort(), senders.get(i).getPort());
                    }
                }
                assertEquals(0, drops.total(), drops.toString());
                System.out.printf("epoll loopback (own sender %s, taken over %s): gso=%s gro=%s groReads=%d%n", ownSender,
                        takeOver, a.gsoEnabled(), b.groEnabled(), taken != null ? taken.groReads() : b.groReads());
            }
        }
    }
}
