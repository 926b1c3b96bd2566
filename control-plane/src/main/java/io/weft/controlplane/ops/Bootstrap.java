package io.weft.controlplane.ops;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.Network;
import io.weft.controlplane.config.WeftConfig;
import io.weft.controlplane.domain.NetworkManager;
import io.weft.controlplane.error.ErrorKind;
import io.weft.controlplane.error.WeftException;
import io.weft.controlplane.security.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** First start: creates the default network (weave's --ipalloc-range) if it does not exist. */
@ApplicationScoped
public class Bootstrap {
    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    NetworkManager networks;
    @Inject
    WeftConfig config;
    @Inject
    Tokens tokens; // created at start so tokens are generated and logged before the first call

    void start(@Observes StartupEvent ev) {
        WeftConfig.DefaultNetwork d = config.defaultNetwork();
        try {
            Network n = networks.get(d.name());
            if (!n.getCidr().equals(d.cidr())) {
                LOG.warnf("default network '%s' keeps its range %s; the configured %s applies only to a new store",
                        n.getName(), n.getCidr(), d.cidr());
            }
        } catch (WeftException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            try {
                Network n = networks.create(CreateNetworkRequest.newBuilder().setName(d.name()).setCidr(d.cidr())
                        .setDnsDomain(d.dnsDomain()).build());
                LOG.infof("created default network '%s' %s (isolation id %d, domain %s)", n.getName(), n.getCidr(),
                        n.getIsolationId(), n.getDnsDomain());
            } catch (WeftException raced) {
                if (raced.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw new IllegalStateException("cannot create the default network: " + raced.getMessage()
                            + "; set WEFT_DEFAULT_NETWORK_CIDR to a free range", raced);
                }
            }
        }
    }
}
