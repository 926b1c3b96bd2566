package io.weft.controlplane.support;

import java.util.concurrent.ThreadLocalRandom;

import io.grpc.StatusRuntimeException;
import io.weft.api.v1.CreateNetworkRequest;
import io.weft.api.v1.Network;
import io.weft.api.v1.NetworkServiceGrpc;

/**
 * Names and ranges no other test uses. The test store is shared by all test classes (and kept
 * between runs), so tests never assume it is empty.
 */
public final class Unique {
    private Unique() {
    }

    public static String name(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL, 36);
    }

    /** Creates a network on a random free /24 (or /prefix) inside 100.64.0.0/11, away from the default range. */
    public static Network network(NetworkServiceGrpc.NetworkServiceBlockingStub admin, String prefix, int prefixLength) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int second = 64 + ThreadLocalRandom.current().nextInt(32);
            int third = ThreadLocalRandom.current().nextInt(256);
            if (prefixLength < 24) {
                third &= 0xff << (24 - prefixLength); // keep the host bits zero
            }
            String cidr = "100." + second + "." + third + ".0/" + prefixLength;
            try {
                return admin.createNetwork(CreateNetworkRequest.newBuilder().setName(name(prefix)).setCidr(cidr).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.FAILED_PRECONDITION) {
                    throw e;
                }
            }
        }
        throw new AssertionError("no free range found in 50 attempts");
    }
}
