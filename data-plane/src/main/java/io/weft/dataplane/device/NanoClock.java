package io.weft.dataplane.device;

/** Monotonic time source, injectable so liveness and ageing are testable without sleeping. */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
