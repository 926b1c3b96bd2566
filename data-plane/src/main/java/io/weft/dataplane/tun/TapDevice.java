package io.weft.dataplane.tun;

import java.io.IOException;

/**
 * The daemon's port on a network's bridge: reads the frames containers send, writes the frames
 * that arrive for them. Batched both ways so a busy loop pays the wake-up once per batch.
 * Implementations: {@link LinuxTap} (the real device) and {@link MemoryTap} (tests).
 */
public interface TapDevice extends AutoCloseable {
    /** Interface name, e.g. "weft-v1". */
    String name();

    /** True when every frame read or written carries a {@link VirtioNetHdr} first. */
    boolean vnetHeader();

    /**
     * True when frames written may be UDP super-frames (virtio_net_hdr GSO_UDP_L4, up to 64
     * datagrams of one flow) that the kernel splits where needed. Only with a vnet header.
     */
    default boolean acceptsUdpGso() {
        return false;
    }

    /**
     * Fills {@code batch} (after clearing it) with frames that are ready, waiting up to
     * {@code timeoutMillis} for the first (0: do not wait). Returns the number of frames read.
     */
    int read(FrameBatch batch, int timeoutMillis) throws IOException;

    /**
     * Writes frames 0..count-1 of {@code batch}. A frame the device refuses does not stop the
     * others; returns how many were refused so the caller can count them.
     */
    int write(FrameBatch batch) throws IOException;

    @Override
    void close();
}
