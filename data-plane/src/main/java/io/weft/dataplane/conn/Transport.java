package io.weft.dataplane.conn;

import java.net.InetSocketAddress;

/**
 * The underlay side of the data plane: sends and receives UDP datagrams in batches.
 * Implementations: {@link EpollUdpTransport} (Netty native epoll: sendmmsg, UDP GSO/GRO) and
 * {@link MemoryTransport} (several simulated hosts in one JVM, for tests).
 */
public interface Transport extends AutoCloseable {
    /** Receives batches on the transport's own thread. The batch is reused once this returns. */
    interface Receiver {
        void onBatch(DatagramBatch batch);
    }

    /** Where peers reach this transport. */
    InetSocketAddress localAddress();

    /** Starts delivering received batches to {@code receiver}. Call once. */
    void start(Receiver receiver);

    /**
     * Sends datagrams 0..count-1 of {@code batch} (copied before returning: the caller may reuse the
     * batch at once). Safe to call from several threads. Returns how many could not be queued
     * (back-pressure or errors), for the caller to count.
     */
    int send(DatagramBatch batch);

    @Override
    void close();
}
