package io.weft.dataplane.daemon;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.weft.api.v1.AttachRequest;
import io.weft.api.v1.Attachment;
import io.weft.api.v1.ConnectRequest;
import io.weft.api.v1.ConnectResponse;
import io.weft.api.v1.DetachRequest;
import io.weft.api.v1.DetachResponse;
import io.weft.api.v1.Endpoint;
import io.weft.api.v1.EndpointServiceGrpc;
import io.weft.api.v1.ForgetRequest;
import io.weft.api.v1.GetNetworkRequest;
import io.weft.api.v1.Host;
import io.weft.api.v1.LinkState;
import io.weft.api.v1.LocalAttachRequest;
import io.weft.api.v1.LocalAttachResponse;
import io.weft.api.v1.LocalConnectRequest;
import io.weft.api.v1.LocalConnectResponse;
import io.weft.api.v1.LocalConnection;
import io.weft.api.v1.LocalDetachRequest;
import io.weft.api.v1.LocalDetachResponse;
import io.weft.api.v1.LocalDns;
import io.weft.api.v1.LocalExposeRequest;
import io.weft.api.v1.LocalExposeResponse;
import io.weft.api.v1.LocalForgetRequest;
import io.weft.api.v1.LocalForgetResponse;
import io.weft.api.v1.LocalHideRequest;
import io.weft.api.v1.LocalHideResponse;
import io.weft.api.v1.LocalNetwork;
import io.weft.api.v1.LocalPeer;
import io.weft.api.v1.LocalPsEntry;
import io.weft.api.v1.LocalPsRequest;
import io.weft.api.v1.LocalPsResponse;
import io.weft.api.v1.LocalResetRequest;
import io.weft.api.v1.LocalResetResponse;
import io.weft.api.v1.LocalRoute;
import io.weft.api.v1.LocalStatus;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkServiceGrpc;
import io.weft.api.v1.PeerServiceGrpc;
import io.weft.api.v1.PeerTarget;
import io.weft.dataplane.agent.ControlPlaneChannel;
import io.weft.dataplane.agent.HostKey;
import io.weft.dataplane.agent.TopologyView;
import io.weft.dataplane.device.Device;
import io.weft.dataplane.device.Peer;
import io.weft.dataplane.host.IfNames;
import io.weft.dataplane.host.PlumbingException;
import io.weft.dataplane.host.Target;
import io.weft.dataplane.wire.DropReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local API does: topology changes go to the control plane first (with the join token),
 * then the host is plumbed and the attachment recorded (and persisted). Errors are gRPC statuses
 * whose message says what to do.
 */
@ApplicationScoped
public class LocalOps {
    static final String EXPOSE_ID = "weave:expose";

    /**
     * Container id of this host's own addresses: per host ({@code weave:expose:<host>}), because
     * container ids are unique per network across hosts and two exposed hosts must not collide.
     */
    String exposeId() {
        return EXPOSE_ID + ":" + daemon.hostName();
    }

    /** An exposed address (also the host-independent id of earlier builds). */
    static boolean isExposeId(String containerId) {
        return containerId.equals(EXPOSE_ID) || containerId.startsWith(EXPOSE_ID + ":");
    }
    public static final long CALL_MILLIS = 10_000;

    @Inject
    Daemon daemon;
    @Inject
    DnsWiring dnsWiring;

    /** The control-plane channel once this host is registered; a status saying what to do otherwise. */
    public ControlPlaneChannel cp() {
        ControlPlaneChannel cp = daemon.controlPlane();
        if (cp == null) {
            throw Status.FAILED_PRECONDITION.withDescription(
                    "no control plane configured: start the daemon with weft.control-plane.url (WEFT_CONTROL_PLANE_URL)").asRuntimeException();
        }
        if (daemon.peerId() == 0 || daemon.device() == null) {
            throw Status.UNAVAILABLE.withDescription("this host is not registered with the control plane yet ("
                    + daemon.notReadyReason() + "); retry when 'weft status' shows it synced").asRuntimeException();
        }
        return cp;
    }

    private EndpointServiceGrpc.EndpointServiceBlockingStub endpoints() {
        ControlPlaneChannel cp = cp();
        return cp.withAuth(EndpointServiceGrpc.newBlockingStub(cp.channel()), CALL_MILLIS);
    }

    /** A control-plane error as the local API reports it (prefixed; says what to do when unreachable). */
    public static StatusRuntimeException fromControlPlane(StatusRuntimeException e) {
        Status s = e.getStatus();
        String d = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
        if (s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            d = "control plane unreachable (" + d + "); the network keeps forwarding, but attach/detach need it back";
        }
        return s.withDescription("control plane: " + d).asRuntimeException();
    }

    private Network network(String name) {
        Network n = daemon.view().network(name);
        if (n != null) {
            return n;
        }
        ControlPlaneChannel cp = cp();
        return cp.withAuth(NetworkServiceGrpc.newBlockingStub(cp.channel()), CALL_MILLIS)
                .getNetwork(GetNetworkRequest.newBuilder().setName(name).build());
    }

    // ------------------------------------------------------------------ attach / detach

    public LocalAttachResponse attach(LocalAttachRequest req) {
        Target target;
        try {
            target = Target.parse(req.getTarget());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        String cid = req.getContainerId().isEmpty() ? target.toString() : req.getContainerId();
        Endpoint ep;
        Network net;
        try {
            ep = endpoints().attach(AttachRequest.newBuilder().setNetwork(req.getNetwork()).setHost(daemon.hostName())
                    .setContainerId(cid).setIp(req.getIp()).addAllDnsNames(req.getDnsNamesList()).build());
            net = network(ep.getNetwork());
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
        String hostIf = IfNames.vethHost(cid, ep.getNetwork());
        LocalAttachResponse attached;
        synchronized (daemon.lock()) {
            try {
                daemon.ensureNetwork(net);
                String ifName = daemon.plumbing().attach(target, cid, ep.getNetwork(), net.getIsolationId(), req.getInterface(),
                        ep.getMac(), ep.getIp(), ep.getPrefixLength());
                Attachment a = Attachment.newBuilder().setEndpointId(ep.getId()).setContainerId(cid).setTarget(target.toString())
                        .setNetwork(ep.getNetwork()).setInterface(ifName).setHostInterface(hostIf).setRevision(ep.getRevision())
                        .setIp(ep.getIp()).setPrefixLength(ep.getPrefixLength()).setMac(ep.getMac()).build();
                daemon.attachments().put(ep.getId(), a);
                daemon.markDirty();
                daemon.persistIfDirty();
                attached = LocalAttachResponse.newBuilder().setEndpoint(ep).setInterface(ifName).setMtu(daemon.mtu())
                        .setHostInterface(hostIf).build();
            } catch (PlumbingException e) {
                releaseQuietly(ep);
                daemon.applyTopology();
                throw Status.FAILED_PRECONDITION.withDescription("attach " + target + ": " + e.getMessage()).asRuntimeException();
            }
        }
        dnsWiring.afterChange(); // the host's DNS address in the network, the container's resolv.conf
        return attached;
    }

    private void releaseQuietly(Endpoint ep) {
        try {
            endpoints().detach(DetachRequest.newBuilder().setEndpointId(ep.getId()).build());
        } catch (RuntimeException ignored) {
            // the address stays allocated; detach again later
        }
    }

    public LocalDetachResponse detach(LocalDetachRequest req) {
        String cid = req.getContainerId();
        if (cid.isEmpty()) {
            try {
                cid = Target.parse(req.getTarget()).toString();
            } catch (IllegalArgumentException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
        }
        DetachResponse r;
        try {
            r = endpoints().detach(DetachRequest.newBuilder().setContainerId(cid).setNetwork(req.getNetwork())
                    .setHost(daemon.hostName()).build());
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
        synchronized (daemon.lock()) {
            for (Attachment a : new ArrayList<>(daemon.attachments().values())) {
                if (a.getContainerId().equals(cid) && (req.getNetwork().isEmpty() || req.getNetwork().equals(a.getNetwork()))) {
                    daemon.unplumb(a);
                    daemon.attachments().remove(a.getEndpointId());
                }
            }
            daemon.markDirty();
            daemon.applyTopology();
            daemon.persistIfDirty();
        }
        dnsWiring.afterChange(); // the resolv.conf goes; the DNS address too when the network has no container left
        return LocalDetachResponse.newBuilder().addAllDetached(r.getDetachedList()).build();
    }

    // ------------------------------------------------------------------ expose / hide

    public LocalExposeResponse expose(LocalExposeRequest req) {
        Endpoint ep;
        Network net;
        try {
            ep = endpoints().attach(AttachRequest.newBuilder().setNetwork(req.getNetwork()).setHost(daemon.hostName())
                    .setContainerId(exposeId()).setIp(req.getIp()).addAllDnsNames(req.getDnsNamesList()).build());
            net = network(ep.getNetwork());
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
        synchronized (daemon.lock()) {
            try {
                Daemon.LocalNet ln = daemon.ensureNetwork(net);
                daemon.plumbing().addBridgeAddress(net.getIsolationId(), ep.getIp(), ep.getPrefixLength());
                daemon.attachments().put(ep.getId(), Attachment.newBuilder().setEndpointId(ep.getId()).setContainerId(exposeId())
                        .setTarget("host").setNetwork(ep.getNetwork()).setInterface(ln.bridge).setRevision(ep.getRevision())
                        .setIp(ep.getIp()).setPrefixLength(ep.getPrefixLength()).setMac(ep.getMac()).build());
                daemon.markDirty();
                daemon.persistIfDirty();
                return LocalExposeResponse.newBuilder().setEndpoint(ep).setBridge(ln.bridge).build();
            } catch (PlumbingException e) {
                releaseQuietly(ep);
                throw Status.FAILED_PRECONDITION.withDescription("expose: " + e.getMessage()).asRuntimeException();
            }
        }
    }

    public LocalHideResponse hide(LocalHideRequest req) {
        List<Endpoint> hidden = new ArrayList<>();
        List<Attachment> mine = new ArrayList<>();
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (isExposeId(a.getContainerId()) && (req.getNetwork().isEmpty() || req.getNetwork().equals(a.getNetwork()))
                        && (req.getIp().isEmpty() || req.getIp().equals(a.getIp()))) {
                    mine.add(a);
                }
            }
        }
        try {
            for (Attachment a : mine) {
                hidden.addAll(endpoints().detach(DetachRequest.newBuilder().setEndpointId(a.getEndpointId()).build()).getDetachedList());
            }
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
        synchronized (daemon.lock()) {
            for (Attachment a : mine) {
                daemon.unplumb(a);
                daemon.attachments().remove(a.getEndpointId());
            }
            daemon.markDirty();
            daemon.applyTopology();
            daemon.persistIfDirty();
        }
        return LocalHideResponse.newBuilder().addAllHidden(hidden).build();
    }

    // ------------------------------------------------------------------ connect / forget

    public LocalConnectResponse connect(LocalConnectRequest req) {
        ControlPlaneChannel cp = cp();
        try {
            ConnectResponse r = cp.withAuth(PeerServiceGrpc.newBlockingStub(cp.channel()), CALL_MILLIS).connect(
                    ConnectRequest.newBuilder().addAllAddresses(req.getAddressesList()).setHost(daemon.hostName())
                            .setReplace(req.getReplace()).build());
            return LocalConnectResponse.newBuilder().addAllTargets(r.getTargetsList()).build();
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
    }

    public LocalForgetResponse forget(LocalForgetRequest req) {
        ControlPlaneChannel cp = cp();
        try {
            return LocalForgetResponse.newBuilder().setRemoved(cp.withAuth(PeerServiceGrpc.newBlockingStub(cp.channel()), CALL_MILLIS)
                    .forget(ForgetRequest.newBuilder().addAllAddresses(req.getAddressesList()).setHost(daemon.hostName()).build())
                    .getRemoved()).build();
        } catch (StatusRuntimeException e) {
            throw fromControlPlane(e);
        }
    }

    // ------------------------------------------------------------------ launch-dns / stop-dns

    public LocalDns launchDns() {
        return dnsWiring.launch();
    }

    public LocalDns stopDns() {
        return dnsWiring.stop();
    }

    // ------------------------------------------------------------------ status / ps / reset

    public LocalStatus status() {
        TopologyView v = daemon.view();
        Device d = daemon.device();
        LocalStatus.Builder b = LocalStatus.newBuilder()
                .setVersion(Daemon.VERSION)
                .setHostName(daemon.hostName() == null ? "" : daemon.hostName())
                .setPeerId(daemon.peerId())
                .addAllUnderlayEndpoints(daemon.advertise())
                .setControlPlaneUrl(daemon.controlPlaneUrl())
                .setControlPlaneConnected(daemon.connected())
                .setSynced(daemon.synced())
                .setRunningOnPersistedState(daemon.runningOnPersisted())
                .setRevision(daemon.revision())
                .setControlPlaneRevision(daemon.controlRevision())
                .setStoreId(daemon.storeId())
                .setEncryption(daemon.security() == null ? "" : daemon.security().describe())
                .setMtu(daemon.mtu())
                .setPort(daemon.port());
        String nr = daemon.notReadyReason();
        b.setNotReadyReason(nr == null ? "" : nr);
        b.setDns(dnsWiring.status());
        if (v == null) {
            return b.build();
        }
        for (Host h : v.snapshot().getHostsList()) {
            if (h.getName().equals(daemon.hostName())) {
                continue;
            }
            b.addPeers(LocalPeer.newBuilder().setName(h.getName()).setPeerId(h.getPeerId())
                    .addAllUnderlayEndpoints(h.getUnderlayEndpointsList()).setConnected(h.getConnected())
                    .setKeyFingerprint(HostKey.fingerprint(h.getPublicKey().toByteArray())));
        }
        Map<Integer, LinkState> links = daemon.links();
        if (d != null) {
            for (Peer p : d.peers()) {
                LinkState ls = links.get(p.id());
                LocalConnection.Builder c = LocalConnection.newBuilder().setPeer(v.hostName(p.id())).setPeerId(p.id())
                        .setState(ls == null ? LinkState.State.CONNECTING : ls.getState())
                        .setRttMicros(p.rttMicros()).setFramesIn(p.framesIn()).setFramesOut(p.framesOut());
                if (p.endpoint() != null) {
                    c.setEndpoint(p.endpoint().getAddress().getHostAddress() + ":" + p.endpoint().getPort());
                }
                ConnectionSecurity.describe(c, p, daemon.security(), v.hostName(p.id()));
                b.addConnections(c);
                LocalRoute.Builder r = LocalRoute.newBuilder().setPeer(v.hostName(p.id())).setPeerId(p.id()).setNextHopId(p.nextHopId());
                if (p.nextHopId() != 0) {
                    r.setNextHop(v.hostName(p.nextHopId()));
                }
                b.addRoutes(r);
            }
        }
        Map<Integer, Daemon.LocalNet> nets = daemon.networks();
        for (Daemon.LocalNet n : nets.values()) {
            Network net = v.network(n.name);
            LocalNetwork.Builder ln = LocalNetwork.newBuilder().setName(n.name).setIsolationId(n.isolationId).setBridge(n.bridge)
                    .setTap(n.tap.name());
            if (net != null) {
                ln.setCidr(net.getCidr());
                for (int m : v.members(n.name)) {
                    ln.addMembers(m);
                }
            }
            if (d != null && d.macTable(n.isolationId) != null) {
                ln.setMacEntries(d.macTable(n.isolationId).size());
            }
            int local = 0;
            synchronized (daemon.lock()) {
                for (Attachment a : daemon.attachments().values()) {
                    if (a.getNetwork().equals(n.name)) {
                        local++;
                    }
                }
            }
            b.addNetworks(ln.setLocalEndpoints(local));
        }
        for (PeerTarget t : v.snapshot().getPeerTargetsList()) {
            if (t.getHost().isEmpty() || t.getHost().equals(daemon.hostName())) {
                b.addTargets(t);
            }
        }
        for (Map.Entry<DropReason, Long> e : daemon.drops().snapshot().entrySet()) {
            b.putDrops(e.getKey().name(), e.getValue());
        }
        return b.build();
    }

    public LocalPsResponse ps(LocalPsRequest req) {
        List<LocalPsEntry> exposed = new ArrayList<>();
        List<LocalPsEntry> containers = new ArrayList<>();
        synchronized (daemon.lock()) {
            for (Attachment a : daemon.attachments().values()) {
                if (!req.getContainersList().isEmpty() && !req.getContainersList().contains(a.getContainerId())
                        && !req.getContainersList().contains(a.getTarget())) {
                    continue;
                }
                LocalPsEntry e = LocalPsEntry.newBuilder().setContainerId(a.getContainerId()).setTarget(a.getTarget())
                        .setNetwork(a.getNetwork()).setInterface(a.getInterface()).setMac(a.getMac()).setIp(a.getIp())
                        .setPrefixLength(a.getPrefixLength()).setEndpointId(a.getEndpointId()).build();
                (isExposeId(a.getContainerId()) ? exposed : containers).add(e);
            }
        }
        return LocalPsResponse.newBuilder().addAllEntries(exposed).addAllEntries(containers).build();
    }

    public LocalResetResponse reset(LocalResetRequest req) {
        int released = 0;
        if (req.getLeave() && daemon.controlPlane() != null) {
            List<String> ids;
            synchronized (daemon.lock()) {
                ids = new ArrayList<>(daemon.attachments().keySet());
            }
            for (String id : ids) {
                try {
                    released += endpoints().detach(DetachRequest.newBuilder().setEndpointId(id).build()).getDetachedCount();
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                        throw fromControlPlane(e);
                    }
                }
            }
        }
        List<String> removed = daemon.resetAll();
        dnsWiring.afterChange();
        return LocalResetResponse.newBuilder().addAllRemovedInterfaces(removed).setReleasedEndpoints(released).build();
    }
}
