package io.weft.dataplane.seal;

import java.time.Duration;

/**
 * Limits and timers of the sealing layer. Defaults follow WireGuard's timers; the volume limits
 * follow the AES-GCM usage limits of RFC 8446 section 5.5 (about 2^24.5 full 16 KiB records per key,
 * i.e. roughly 2^38 bytes), well before which we re-key.
 *
 * @param rekeyAfter         the initiator of a session starts a new handshake when it is this old
 *                           (the responder waits {@code 2 * rekeyTimeout} longer, so the two
 *                           rarely cross)
 * @param rejectAfter        a session older than this neither seals nor opens
 * @param rekeyAfterMessages datagrams sealed with one key before a new handshake starts
 * @param rejectAfterMessages datagrams sealed with one key after which it is refused
 * @param rekeyAfterBytes    plaintext bytes sealed with one key before a new handshake starts
 * @param rekeyTimeout       first retransmission of an unanswered initiation; doubles each time
 * @param maxRetransmitInterval cap of that back-off
 * @param rekeyAttemptTime   give up a handshake (until new traffic asks again) after this long
 * @param handshakeQueue     handshake datagrams waiting for the worker; more are dropped
 * @param perSourceRate      handshake datagrams per second accepted from one source address
 * @param perSourceBurst     ... and their burst
 * @param globalRate         initiations per second the worker does DH work for, all sources
 * @param globalBurst        ... and their burst
 */
public record SealConfig(
        Duration rekeyAfter,
        Duration rejectAfter,
        long rekeyAfterMessages,
        long rejectAfterMessages,
        long rekeyAfterBytes,
        Duration rekeyTimeout,
        Duration maxRetransmitInterval,
        Duration rekeyAttemptTime,
        int handshakeQueue,
        double perSourceRate,
        int perSourceBurst,
        double globalRate,
        int globalBurst) {

    public static final SealConfig DEFAULTS = new SealConfig(
            Duration.ofSeconds(120), Duration.ofSeconds(180),
            1L << 28, (1L << 28) + (1L << 24), 1L << 38,
            Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(90),
            256, 20, 10, 200, 100);

    public SealConfig {
        if (rekeyAfter.compareTo(rejectAfter) >= 0) {
            throw new IllegalArgumentException("rekeyAfter (" + rekeyAfter + ") must be shorter than rejectAfter ("
                    + rejectAfter + "), or sessions expire before they are replaced");
        }
        if (rekeyAfterMessages <= 0 || rekeyAfterMessages >= rejectAfterMessages) {
            throw new IllegalArgumentException("need 0 < rekeyAfterMessages < rejectAfterMessages, got "
                    + rekeyAfterMessages + " and " + rejectAfterMessages);
        }
        if (handshakeQueue < 1 || perSourceBurst < 1 || globalBurst < 1 || perSourceRate <= 0 || globalRate <= 0) {
            throw new IllegalArgumentException("handshake queue, rates and bursts must be positive");
        }
    }

    /** A copy with other volume limits (tests, benchmarks). */
    public SealConfig withMessageLimits(long rekeyAfter, long rejectAfter) {
        return new SealConfig(this.rekeyAfter, this.rejectAfter, rekeyAfter, rejectAfter, rekeyAfterBytes,
                rekeyTimeout, maxRetransmitInterval, rekeyAttemptTime, handshakeQueue, perSourceRate,
                perSourceBurst, globalRate, globalBurst);
    }
}
