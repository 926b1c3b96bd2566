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

    /** Sends batches on behalf of one thread; see {@link #newSender}. */
    interface Sender {
        /** As {@link Transport#send}: copied before returning; returns how many were not sent. */
        int send(DatagramBatch batch);
    }

    /**
     * A sender for the calling thread's exclusive use, for batches of at most {@code maxDatagrams}
     * datagrams of at most {@code maxDatagramSize} bytes. A transport may make it faster than
     * {@link #send} (e.g. send from the calling thread, with no hand-off to another); the default
     * just calls {@link #send}.
     */
    default Sender newSender(int maxDatagrams, int maxDatagramSize) {
        return this::send;
    }

    @Override
    void close();
}
