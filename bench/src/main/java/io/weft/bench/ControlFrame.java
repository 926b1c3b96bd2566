package io.weft.bench;

import io.weft.api.v1.Welcome;

/**
 * What a simulated agent needs from one ControlMessage: its kind, the revision it carries, its
 * size, and the Welcome when it is one. Decoded by {@link ControlCodec} without building the
 * Snapshot or Delta objects, so ten thousand agents can be simulated in one process.
 */
record ControlFrame(Kind kind, long revision, int bytes, Welcome welcome) {
    enum Kind {
        WELCOME, SNAPSHOT, DELTA, SYNCED, HEARTBEAT, OTHER
    }
}
