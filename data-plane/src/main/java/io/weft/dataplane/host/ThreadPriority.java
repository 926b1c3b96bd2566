package io.weft.dataplane.host;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Scheduling priority of the forwarding threads (the TAP reader, the underlay socket's reader).
 *
 * <p>Why: in kernel overlays (VXLAN) the forwarding work runs in softirq context, ahead of every
 * user thread. A user-space data plane competes with the containers it serves: measured on a
 * 2-core host, the receiving event loop was preempted ~2,800 times a second by the very process
 * it was delivering to, and each preemption stalls the whole pipeline behind it. A lower nice
 * value (-10 by default, {@code weft.forwarding-nice} / WEFT_FORWARDING_NICE) gives these threads
 * a larger share when the host is busy without starving anything (it is not a real-time class).
 *
 * <p>Linux applies {@code setpriority(PRIO_PROCESS, tid, nice)} to one thread. Raising priority
 * needs CAP_SYS_NICE; without it the threads keep the normal priority and one warning says how
 * to grant it.
 */
public final class ThreadPriority {
    private static final Logger LOG = Logger.getLogger(ThreadPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final boolean AVAILABLE = register();

    private ThreadPriority() {
    }

    private static boolean register() {
        try {
            Native.register(ThreadPriority.class, Platform.C_LIBRARY_NAME);
            return Platform.isLinux();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static native int gettid();

    private static native int setpriority(int which, int who, int prio);

    /** Checks a configured nice value: -20 (highest) to 19; 0 leaves the threads alone. */
    public static int validate(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("weft.forwarding-nice (WEFT_FORWARDING_NICE) must be -20..19, got "
                    + nice + "; -10 is the default, 0 leaves forwarding threads at normal priority");
        }
        return nice;
    }

    /**
     * Sets the calling thread's nice value; {@code role} names the thread in the one warning
     * logged when it is not permitted. Returns whether the value is now in effect.
     */
    public static boolean applyToCurrentThread(int nice, String role) {
        if (nice == 0 || !AVAILABLE) {
            return nice == 0;
        }
        if (setpriority(PRIO_PROCESS, gettid(), nice) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (WARNED.compareAndSet(false, true)) {
            String why = errno == EPERM || errno == EACCES
                    ? "not permitted (raising priority needs CAP_SYS_NICE)"
                    : "errno " + errno;
            LOG.warnf("cannot run the %s at nice %d: %s; forwarding runs at normal priority, so busy containers "
                    + "on this host slow it down. Grant CAP_SYS_NICE (docker: cap_add SYS_NICE) or set "
                    + "WEFT_FORWARDING_NICE=0 to keep normal priority without this warning", role, nice, why);
        }
        return false;
    }
}
