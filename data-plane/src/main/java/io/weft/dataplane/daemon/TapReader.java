package io.weft.dataplane.daemon;

import io.weft.dataplane.device.Device;
import io.weft.dataplane.host.ThreadPriority;
import io.weft.dataplane.tun.FrameBatch;
import io.weft.dataplane.tun.LinuxTap;
import io.weft.dataplane.tun.TapDevice;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread per network: reads batches of frames from the network's TAP and hands them to the
 * current {@link Device}. The batch is allocated once; the read waits at most 200 ms so the thread
 * notices a stop.
 */
final class TapReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(TapReader.class.getName());

    private final int isolationId;
    private final TapDevice tap;
    private final Supplier<Device> device;
    private final Thread thread;
    private final FrameBatch batch;
    private volatile boolean running = true;

    private final int nice;

    TapReader(int isolationId, TapDevice tap, Supplier<Device> device, int nice) {
        this.isolationId = isolationId;
        this.nice = nice;
        this.tap = tap;
        this.device = device;
        // Direct: frames stay where the TAP put them; only headers are copied to the heap (see TapPath).
        this.batch = FrameBatch.direct(16, LinuxTap.MAX_READ);
        this.thread = new Thread(this, "weft-tap-" + isolationId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void run() {
        ThreadPriority.applyToCurrentThread(nice, "TAP reader of " + tap.name());
        while (running) {
            try {
                int n = tap.read(batch, 200);
                Device d = device.get();
                if (n > 0 && d != null) {
                    d.fromTap(isolationId, batch);
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                LOG.log(Level.WARNING, "reading TAP " + tap.name() + " failed; retrying", e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    break;
                }
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
}
