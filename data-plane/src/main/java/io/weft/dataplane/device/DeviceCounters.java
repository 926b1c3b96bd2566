package io.weft.dataplane.device;

import java.util.concurrent.atomic.LongAdder;

/** Traffic counters of one device; Micrometer binds to these later. */
public final class DeviceCounters {
    public final LongAdder framesFromTap = new LongAdder();
    public final LongAdder framesToTap = new LongAdder();
    public final LongAdder datagramsSent = new LongAdder();
    public final LongAdder datagramsReceived = new LongAdder();
    public final LongAdder floodedFrames = new LongAdder();
    public final LongAdder relayedOut = new LongAdder();
    public final LongAdder relayedThrough = new LongAdder();
    public final LongAdder heartbeatsSent = new LongAdder();
    public final LongAdder heartbeatAcks = new LongAdder();
}
