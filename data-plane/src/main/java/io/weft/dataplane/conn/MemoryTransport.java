package io.weft.dataplane.conn;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One simulated host's UDP socket on a {@link MemoryNetwork}. Its inbox is bounded (a full inbox
 * refuses datagrams, like a full socket buffer); delivery happens in {@link MemoryNetwork#deliverAll}
 * in batches of the configured capacity, through the same {@link Receiver} path as the real
 * transport.
 */
public final class MemoryTransport implements Transport {
    private record Pending(InetSocketAddress from, byte[] data) {
    }

    private final MemoryNetwork network;
    private final InetSocketAddress address;
    private final DatagramBatch receiveBatch;
    private final int queueCapacity;
    private final ArrayDeque<Pending> inbox = new ArrayDeque<>();
    private volatile Receiver receiver;
    private volatile boolean closed;
    private long sent;
    private long received;

    MemoryTransport(MemoryNetwork network, InetSocketAddress address, int batchCapacity, int slotSize, int queueCapacity) {
        this.network = network;
        this.address = address;
        this.receiveBatch = new DatagramBatch(batchCapacity, slotSize);
        this.queueCapacity = queueCapacity;
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public int send(DatagramBatch batch) {
        int refused = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (closed || !route(batch, i)) {
                refused++;
            } else {
                synchronized (this) {
                    sent++;
                }
            }
        }
        return refused;
    }

    /** One datagram of a batch to the simulated network; a tail is gathered into one array first. */
    private boolean route(DatagramBatch batch, int i) {
        if (batch.tail(i) == null) {
            return network.route(address, batch.endpoint(i), batch.buffer(i), batch.offset(i), batch.length(i));
        }
        byte[] whole = new byte[batch.totalLength(i)];
        batch.copyTo(i, whole, 0);
        return network.route(address, batch.endpoint(i), whole, 0, whole.length);
    }

    /** Injects a datagram as if {@code from} had sent it (tests: garbage, spoofing, replays). */
    public boolean inject(InetSocketAddress from, byte[] data) {
        return enqueue(from, data, 0, data.length);
    }

    synchronized boolean enqueue(InetSocketAddress from, byte[] data, int off, int len) {
        if (closed || inbox.size() >= queueCapacity) {
            return false;
        }
        inbox.add(new Pending(from, Arrays.copyOfRange(data, off, off + len)));
        return true;
    }

    /** Hands queued datagrams to the receiver in batches; returns how many. */
    long deliverPending() {
        Receiver r = receiver;
        if (r == null) {
            return 0;
        }
        long delivered = 0;
        while (true) {
            receiveBatch.clear();
            synchronized (this) {
                Pending p;
                while (!receiveBatch.isFull() && (p = inbox.poll()) != null) {
                    int n = Math.min(p.data.length, receiveBatch.slotSize()); // a real socket truncates too
                    int s = receiveBatch.add();
                    System.arraycopy(p.data, 0, receiveBatch.buffer(s), 0, n);
                    receiveBatch.set(s, 0, n, p.from);
                }
                received += receiveBatch.count();
            }
            if (receiveBatch.isEmpty()) {
                return delivered;
            }
            delivered += receiveBatch.count();
            r.onBatch(receiveBatch);
        }
    }

    public synchronized long sentCount() {
        return sent;
    }

    public synchronized long receivedCount() {
        return received;
    }

    @Override
    public void close() {
        closed = true;
        network.detach(address);
    }
}
