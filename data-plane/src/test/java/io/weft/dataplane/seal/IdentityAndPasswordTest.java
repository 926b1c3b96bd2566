package io.weft.dataplane.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.dataplane.agent.HostKey;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityAndPasswordTest {
    @Test
    void theHostKeyOfTheStateDirectoryIsTheNoiseStaticKey(@TempDir Path dir) throws Exception {
        HostKey key = HostKey.loadOrCreate(dir);
        LocalIdentity id = LocalIdentity.of(key);
        assertArrayEquals(key.publicKeyBytes(), id.publicKey());
        assertArrayEquals(id.publicKey(), LocalIdentity.of(HostKey.loadOrCreate(dir)).publicKey(), "stable across restarts");
    }

    @Test
    void everyHostDerivesTheSameKeyFromTheSamePasswordAndNothingElse() {
        NetworkPassword one = NetworkPassword.of("s3cret");
        NetworkPassword again = NetworkPassword.of("s3cret");
        NetworkPassword other = NetworkPassword.of("s3cret ");
        assertArrayEquals(one.psk(), again.psk());
        assertFalse(Arrays.equals(one.psk(), other.psk()));
        assertFalse(Arrays.equals(one.psk(), NetworkPassword.none().psk()));
        assertTrue(one.isSet());
        assertSame(NetworkPassword.none(), NetworkPassword.of(""));
        assertFalse(one.toString().contains("s3cret"), "never printed");
        byte[] hash = new byte[32];
        assertTrue(one.verify(hash, again.proof(hash)));
        assertFalse(one.verify(hash, other.proof(hash)));
        hash[0] = 1;
        assertFalse(one.verify(hash, one.proof(new byte[32])), "a proof is bound to its handshake");
    }
}
