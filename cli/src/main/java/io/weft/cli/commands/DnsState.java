package io.weft.cli.commands;

import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalDnsListener;

/** One line saying whether DNS runs and where it listens (launch-dns, stop-dns). */
final class DnsState {
    private DnsState() {
    }

    static String describe(LocalDns d) {
        StringBuilder sb = new StringBuilder(d.getEnabled() ? "dns running" : "dns stopped");
        if (d.getEnabled()) {
            for (LocalDnsListener l : d.getListenersList()) {
                sb.append(sb.indexOf(" on ") < 0 ? " on " : ", ").append(l.getAddress());
            }
        }
        if (!d.getError().isEmpty()) {
            sb.append(" (").append(d.getError()).append(')');
        }
        return sb.toString();
    }
}
