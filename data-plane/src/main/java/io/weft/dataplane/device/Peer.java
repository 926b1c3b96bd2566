package io.weft.dataplane.device;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Another host, as the data path sees it: where to send (endpoint), whether the direct path is
 * alive (heartbeats), and which peer frames for it go through ({@link #nextHop}: itself when
 * direct, a relay otherwise, null when unreachable). The control plane thread sets the endpoint;
 * the ticker owns liveness and routes; the hot paths only read volatile fields.
 */
public final class Peer {
    final int id;
    volatile InetSocketAddress endpoint;

    // Liveness. lastAckNanos and rttNanos are written by the underlay thread when an ack arrives;
    // everything else by the ticker, which alone decides up/down (single writer per field).
    volatile long lastAckNanos;
    volatile long rttNanos;
    volatile boolean directUp;
    volatile boolean everUp;
    long lastHeartbeatSentNanos;
    long heartbeatSequence;

    /** Where frames for this peer go next; written by the ticker after each route computation. */
    volatile Peer nextHop;

    /**
     * Last time (nanos, 0 = never) this peer sent something our encryption setting refuses, and
     * whether it was sealed (the peer encrypts and we do not) or not (the other way round).
     * Written by the receive thread, read by status.
     */
    volatile long mismatchNanos;
    volatile boolean mismatchPeerEncrypts;

    final LongAdder framesOut = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    /** Ethernet bytes (frame length, before encapsulation; super-frames counted per segment). */
    final LongAdder bytesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();

    Peer(int id, InetSocketAddress endpoint) {
        this.id = id;
        this.endpoint = endpoint;
    }

    public int id() {
        return id;
    }

    public InetSocketAddress endpoint() {
        return endpoint;
    }

    public boolean directUp() {
        return directUp;
    }

    /** Smoothed direct round-trip time in microseconds, 0 until measured. */
    public long rttMicros() {
        return rttNanos / 1000;
    }

    /** Peer id of the next hop, or 0 when there is no route. */
    public int nextHopId() {
        Peer h = nextHop;
        return h == null ? 0 : h.id;
    }

    /** When (nanos) a datagram of this peer was last refused for an encryption mismatch; 0 = never. */
    public long mismatchNanos() {
        return mismatchNanos;
    }

    /** For the last mismatch: true when the peer encrypts and we do not, false for the reverse. */
    public boolean mismatchPeerEncrypts() {
        return mismatchPeerEncrypts;
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }
}
