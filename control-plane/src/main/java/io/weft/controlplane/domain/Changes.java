package io.weft.controlplane.domain;

import io.weft.api.v1.Allocation;
import io.weft.api.v1.Change;
import io.weft.api.v1.DnsRecord;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.Network;
import io.weft.api.v1.PeerTarget;

/** Shorthands for the Change messages writers record. */
final class Changes {
    private Changes() {
    }

    static Change network(Network n) {
        return Change.newBuilder().setNetworkUpserted(n).build();
    }

    static Change networkDeleted(String name) {
        return Change.newBuilder().setNetworkDeleted(name).build();
    }

    static Change host(Host h) {
        return Change.newBuilder().setHostUpserted(h).build();
    }

    static Change hostRemoved(String name) {
        return Change.newBuilder().setHostRemoved(name).build();
    }

    static Change endpoint(Endpoint e) {
        return Change.newBuilder().setEndpointUpserted(e).build();
    }

    static Change endpointRemoved(String id) {
        return Change.newBuilder().setEndpointRemoved(id).build();
    }

    static Change dnsAdded(DnsRecord r) {
        return Change.newBuilder().setDnsAdded(r).build();
    }

    static Change dnsRemoved(DnsRecord r) {
        return Change.newBuilder().setDnsRemoved(r).build();
    }

    static Change targetAdded(PeerTarget t) {
        return Change.newBuilder().setTargetAdded(t).build();
    }

    static Change targetRemoved(PeerTarget t) {
        return Change.newBuilder().setTargetRemoved(t).build();
    }

    static Change addressAllocated(Allocation a) {
        return Change.newBuilder().setAddressAllocated(a).build();
    }

    static Change addressReleased(Allocation a) {
        return Change.newBuilder().setAddressReleased(a).build();
    }

    static Change link(LinkState l) {
        return Change.newBuilder().setLinkUpdated(l).build();
    }
}
