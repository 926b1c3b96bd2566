package io.weft.dataplane.seal;

/** Why a peer's connection is refused, with the sentence {@code status} shows (cause and fix). */
public enum Refusal {
    NONE("peer %s: no refusal"),
    WRONG_PASSWORD("peer %s uses a different network password: start every host with the same"
            + " --password (or WEFT_PASSWORD), or none of them with one"),
    UNKNOWN_KEY("peer %s and this host disagree about a host key (one of them presented a key the other"
            + " does not have for it): check that both hosts are registered with the control plane and"
            + " wait for the new key to propagate if one of them was re-installed"),
    ENCRYPTION_MISMATCH("peer %s sends unencrypted traffic while this host requires encryption (or the"
            + " reverse): configure every host alike, all encrypted or all with the trusted-network"
            + " plaintext option"),
    NO_RESPONSE("peer %s does not answer handshakes: check that its data plane runs and that the"
            + " underlay lets UDP through between the two hosts");

    private final String template;

    Refusal(String template) {
        this.template = template;
    }

    /** The human sentence naming cause and fix for the peer called {@code peerName}. */
    public String explain(String peerName) {
        return String.format(template, peerName);
    }

    /** Wire code in a rejection message; only these two are ever sent. */
    int code() {
        switch (this) {
            case WRONG_PASSWORD: return 1;
            case UNKNOWN_KEY: return 2;
            default: throw new IllegalStateException(this + " is never sent in a rejection");
        }
    }

    /** The refusal a rejection's code names, or null for a code no sender uses. */
    static Refusal fromCode(int code) {
        switch (code) {
            case 1: return WRONG_PASSWORD;
            case 2: return UNKNOWN_KEY;
            default: return null;
        }
    }
}
