package io.weft.dataplane.daemon;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.weft.dataplane.conn.DatagramBatch;
import io.weft.dataplane.conn.GroReceiver;
import io.weft.dataplane.conn.Transport;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.host.ThreadPriority;
import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.LinuxTap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A forwarding thread: one poll(2) loop over the descriptors it owns — the underlay socket, or the
 * TAPs of this host's networks. Frames read from a TAP go to {@link Device#fromTap} (encapsulate,
 * seal, send from this thread); datagrams read from the socket ({@link GroReceiver}, UDP GRO) go to
 * the device's underlay path (open, coalesce, write to the TAP). The daemon runs two: one for the
 * socket ({@link #underlay}), one for every TAP ({@link #taps}), both at the forwarding priority.
 *
 * <p>Why the socket is read here and not on Netty's event loop: Netty 4.1 cuts every 64 KiB GRO read
 * into a ByteBuf slice and a DatagramPacket per datagram (~45 objects per TCP super-frame) and
 * shares its thread with the HTTP and gRPC APIs. Why two threads and not one: one loop for both
 * directions was measured side by side (docs/BENCHMARKS.md) — fewer wake-ups and ~12 % less CPU for
 * the same encrypted flow, but a single TCP flow's data and its ACKs then wait for each other on one
 * thread: plaintext fell by 15 % with the box only ~79 % busy. Two threads keep both directions
 * moving in parallel.
 *
 * <p>poll(2) rather than epoll: a loop has one socket or a handful of TAPs, and its descriptor set
 * only changes when a network is added or removed. TAPs come and go through {@link #addTap} and
 * {@link #removeTap}; a removal returns once the loop has stopped polling the TAP, so the caller
 * may close it. A TAP whose read fails is logged once and left out until it is removed. Malformed
 * input is the device's business (counted, dropped); nothing thrown by a batch stops the loop.
 */
final class ForwardingLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(ForwardingLoop.class.getName());
    private static final int POLL_MILLIS = 200;
    /** GRO reads (up to 64 KiB each) per wake-up, so TAPs get their turn under a flood. */
    private static final int SOCKET_READS_PER_TURN = 16;
    /** TAP reads (up to one 64 KiB super-frame each) per TAP and wake-up. */
    private static final int TAP_READS_PER_TURN = 16;
    private static final short POLLIN = 0x1;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    private static final long REMOVE_WAIT_MILLIS = 3 * POLL_MILLIS;
    private static final Transport.Receiver DISCARD = batch -> { };
    /** At most one log line per this many nanoseconds for failures that repeat every turn. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    /** A network's TAP as the loop polls it. */
    private record Tap(int isolationId, LinuxTap tap) {
    }

    private final Supplier<Device> device;
    private final GroReceiver underlay;
    private final DatagramBatch received;
    private final FrameBatch frames;
    private final int nice;
    private final Thread thread;
    private final Object changes = new Object();
    private volatile Tap[] taps = new Tap[0];
    /** Bumped by every change of {@link #taps}; written under {@link #changes}. */
    private volatile long version;
    /** The newest version the loop polls with: nothing removed before it is touched any more. */
    private volatile long applied;
    private volatile boolean running = true;

    // Loop-owned.
    private ByteBuffer pollFds = pollFdBuffer(8);
    private long pollAddr = address(pollFds);
    private Tap[] polled = new Tap[0];
    private boolean[] broken = new boolean[0];
    private long lastFailureLog;
    private long failuresSinceLog;

    private ForwardingLoop(String name, Supplier<Device> device, GroReceiver underlay, DatagramBatch received,
            FrameBatch frames, int nice) {
        this.device = device;
        this.underlay = underlay;
        this.received = received;
        this.frames = frames;
        this.nice = nice;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** The loop that reads the underlay socket (into {@code received}, one batch at a time). */
    static ForwardingLoop underlay(Supplier<Device> device, GroReceiver socket, DatagramBatch received, int nice) {
        return new ForwardingLoop("weft-underlay", device, socket, received, null, nice);
    }

    /** The loop that reads the TAPs added to it. */
    static ForwardingLoop taps(Supplier<Device> device, int nice) {
        // Direct: frames stay where the TAP put them; only headers are copied to the heap (see TapPath).
        return new ForwardingLoop("weft-tap", device, null, null, FrameBatch.direct(TAP_READS_PER_TURN,
                LinuxTap.MAX_READ), nice);
    }

    void start() {
        thread.start();
    }

    boolean alive() {
        return thread.isAlive();
    }

    void addTap(int isolationId, LinuxTap tap) {
        synchronized (changes) {
            Tap[] now = taps;
            Tap[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = new Tap(isolationId, tap);
            taps = next;
            version++;
        }
    }

    /**
     * Stops polling the network's TAP. Returns once the loop no longer uses it (at most a few poll
     * timeouts; at once when the loop is not running), so the caller may close it.
     */
    void removeTap(int isolationId) {
        long wanted;
        synchronized (changes) {
            taps = Arrays.stream(taps).filter(t -> t.isolationId != isolationId).toArray(Tap[]::new);
            wanted = ++version;
        }
        long deadline = System.nanoTime() + REMOVE_WAIT_MILLIS * 1_000_000L;
        while (applied < wanted && thread.isAlive() && Thread.currentThread() != thread
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        ThreadPriority.applyToCurrentThread(nice, thread.getName() + " forwarding thread");
        while (running) {
            // version before taps: a version read here covers every change up to it (writers set
            // taps first), so once applied says so, removed TAPs are out of the poll set.
            long v = version;
            Tap[] t = taps;
            if (t != polled) {
                rebuild(t);
            }
            applied = v;
            try {
                turn(t.length);
            } catch (RuntimeException e) {
                // The device counts what it drops; anything thrown here is a bug, not input. Logged
                // at most every 10 s: the loop goes on, and a bug hit per turn must not flood the log.
                failuresSinceLog++;
                long now = System.nanoTime();
                if (lastFailureLog == 0 || now - lastFailureLog >= LOG_EVERY_NANOS) {
                    LOG.log(Level.WARNING, thread.getName() + ": a forwarding turn failed (" + failuresSinceLog
                            + " since the last report); going on", e);
                    lastFailureLog = now;
                    failuresSinceLog = 0;
                }
            }
        }
        applied = Long.MAX_VALUE;
    }

    /** One poll and whatever it found ready. */
    private void turn(int tapCount) {
        for (int i = 0; i <= tapCount; i++) {
            pollFds.putShort(i * 8 + 6, (short) 0);
        }
        int ready = LinuxTap.poll(pollAddr, tapCount + 1, POLL_MILLIS);
        if (ready <= 0) {
            return; // timeout, or EINTR: look at running and the TAP set again
        }
        Device d = device.get();
        if (underlay != null && (pollFds.getShort(6) & (POLLIN | POLLERR)) != 0) {
            underlay.drain(received, d == null ? DISCARD : d.underlayReceiver(), SOCKET_READS_PER_TURN);
        }
        for (int i = 0; i < tapCount; i++) {
            short ev = pollFds.getShort((i + 1) * 8 + 6);
            if (ev == 0 || broken[i]) {
                continue;
            }
            Tap tap = polled[i];
            try {
                if ((ev & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (ev & POLLIN) == 0) {
                    throw new java.io.IOException("poll reports error events 0x" + Integer.toHexString(ev));
                }
                int n = tap.tap.read(frames, 0);
                if (n > 0 && d != null) {
                    d.fromTap(tap.isolationId, frames);
                }
            } catch (java.io.IOException e) {
                broken[i] = true;
                pollFds.putInt((i + 1) * 8, -1); // poll ignores negative descriptors
                LOG.log(Level.WARNING, "reading TAP " + tap.tap.name() + " failed; it is no longer read until its"
                        + " network is removed and added again (restart the data plane to recover)", e);
            }
        }
    }

    private void rebuild(Tap[] t) {
        int need = (t.length + 1) * 8;
        if (pollFds.capacity() < need) {
            pollFds = pollFdBuffer(Math.max(need, pollFds.capacity() * 2));
            pollAddr = address(pollFds);
        }
        pollFds.putInt(0, underlay == null ? -1 : underlay.fd()).putShort(4, POLLIN);
        boolean[] nowBroken = new boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            for (int k = 0; k < polled.length; k++) {
                if (polled[k] == t[i]) {
                    nowBroken[i] = broken[k];
                }
            }
            pollFds.putInt((i + 1) * 8, nowBroken[i] ? -1 : t[i].tap.fd()).putShort((i + 1) * 8 + 4, POLLIN);
        }
        polled = t;
        broken = nowBroken;
    }

    private static ByteBuffer pollFdBuffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
