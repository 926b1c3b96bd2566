package io.weft.dataplane.device;

/** Link state towards a peer, mirroring weft.v1.LinkState.State (REFUSED arrives with issue 4). */
public enum LinkStatus {
    /** Never answered a heartbeat yet. */
    CONNECTING,
    /** Heartbeats answered on the direct path. */
    ESTABLISHED,
    /** No direct path; frames go through a relay. */
    RELAYED,
    /** Unreachable, directly or through anyone. */
    DOWN
}
