package io.weft.dataplane.tun;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory TAP for tests: frames {@link #inject injected} here are what the device reads
 * (as if a container sent them); frames the device writes are collected for {@link #drainWritten}.
 * Thread-safe; allocates per frame, which is fine for a fake.
 */
public final class MemoryTap implements TapDevice {
    private final String name;
    private final boolean vnetHeader;
    private final boolean udpGso;
    private final BlockingQueue<byte[]> toDevice;
    private final BlockingQueue<byte[]> fromDevice;
    private volatile boolean closed;

    public MemoryTap(String name, boolean vnetHeader) {
        this(name, vnetHeader, 4096);
    }

    public MemoryTap(String name, boolean vnetHeader, int queueCapacity) {
        this(name, vnetHeader, queueCapacity, false);
    }

    /** @param udpGso whether the device may write UDP super-frames here (as to a Linux 6.2+ TAP) */
    public MemoryTap(String name, boolean vnetHeader, int queueCapacity, boolean udpGso) {
        this.name = name;
        this.vnetHeader = vnetHeader;
        this.udpGso = vnetHeader && udpGso;
        this.toDevice = new ArrayBlockingQueue<>(queueCapacity);
        this.fromDevice = new ArrayBlockingQueue<>(queueCapacity);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean vnetHeader() {
        return vnetHeader;
    }

    @Override
    public boolean acceptsUdpGso() {
        return udpGso;
    }

    /** Queues a frame exactly as given (including a virtio_net_hdr when this TAP uses one). */
    public boolean injectRaw(byte[] frame) {
        return toDevice.offer(frame.clone());
    }

    /** Queues a plain Ethernet frame, with an all-zero virtio_net_hdr in front when needed. */
    public boolean inject(byte[] ethernetFrame) {
        if (!vnetHeader) {
            return injectRaw(ethernetFrame);
        }
        byte[] f = new byte[VirtioNetHdr.LENGTH + ethernetFrame.length];
        System.arraycopy(ethernetFrame, 0, f, VirtioNetHdr.LENGTH, ethernetFrame.length);
        return toDevice.offer(f);
    }

    /** Frames written by the device so far (including the virtio_net_hdr when used), oldest first. */
    public List<byte[]> drainWritten() {
        List<byte[]> out = new ArrayList<>();
        fromDevice.drainTo(out);
        return out;
    }

    public int pendingReads() {
        return toDevice.size();
    }

    @Override
    public int read(FrameBatch batch, int timeoutMillis) {
        batch.clear();
        try {
            byte[] first = timeoutMillis > 0 ? toDevice.poll(timeoutMillis, TimeUnit.MILLISECONDS) : toDevice.poll();
            byte[] f = first;
            while (f != null) {
                if (!batch.add(f, 0, f.length)) {
                    break; // oversize frame for the slot: a real TAP would truncate; drop it here
                }
                if (batch.isFull()) {
                    break;
                }
                f = toDevice.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return batch.count();
    }

    @Override
    public int write(FrameBatch batch) {
        int refused = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (closed || !fromDevice.offer(batch.copyOf(i))) {
                refused++;
            }
        }
        return refused;
    }

    @Override
    public void close() {
        closed = true;
    }
}
