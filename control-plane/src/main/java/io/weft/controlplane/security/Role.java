package io.weft.controlplane.security;

/** Who a token speaks for. Admin may do everything; a data plane (join token) what hosts need. */
public enum Role {
    ADMIN,
    AGENT;

    public boolean mayDo(Access access) {
        return this == ADMIN || access == Access.AGENT;
    }

    /** What an operation needs. */
    public enum Access {
        /** Data planes and admins (attach, DNS, peers, reads). */
        AGENT,
        /** Admins only (creating and deleting networks, removing hosts). */
        ADMIN
    }
}
