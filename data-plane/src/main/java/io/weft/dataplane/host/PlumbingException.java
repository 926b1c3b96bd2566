package io.weft.dataplane.host;

/** A host plumbing step failed; the message names the command, its error and the likely fix. */
public final class PlumbingException extends RuntimeException {
    public PlumbingException(String message) {
        super(message);
    }
}
