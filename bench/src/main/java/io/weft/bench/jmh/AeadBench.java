package io.weft.bench.jmh;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-datagram AEAD choice of issue 4, measured the way the data plane calls it: one datagram
 * sealed in place in a byte[] (16-byte header as associated data, counter nonce = 4 zero bytes +
 * 8-byte counter, 16-byte tag appended), then opened in place, with one reused Cipher per thread
 * and a fresh nonce per packet (the JDK refuses to re-init GCM encryption with the same IV).
 * Figures and the chosen cipher: docs/BENCHMARKS.md and io.weft.dataplane.seal.AeadEngine.
 *
 * <pre>java -cp bench/target/weft-bench.jar org.openjdk.jmh.Main AeadBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AeadBench {
    private static final int HEADER = 16;
    private static final int PREFIX = 12;
    private static final int TAG = 16;

    @Param({"AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305"})
    public String cipher;

    @Param({"64", "1400"})
    public int size;

    private Cipher seal;
    private Cipher open;
    private SecretKeySpec key;
    private byte[] packet;
    private final byte[] nonce = new byte[12];
    private long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] k = new byte[cipher.startsWith("AES-128") ? 16 : 32];
        random.nextBytes(k);
        String transformation = cipher.startsWith("AES") ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
        key = new SecretKeySpec(k, cipher.startsWith("AES") ? "AES" : "ChaCha20");
        seal = Cipher.getInstance(transformation);
        open = Cipher.getInstance(transformation);
        packet = new byte[HEADER + PREFIX + size + TAG];
        random.nextBytes(packet);
    }

    private java.security.spec.AlgorithmParameterSpec spec(long n) {
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (n >>> (8 * i));
        }
        return cipher.startsWith("AES") ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
    }

    private int sealOnce(long n) throws GeneralSecurityException {
        seal.init(Cipher.ENCRYPT_MODE, key, spec(n));
        seal.updateAAD(packet, 0, HEADER);
        return seal.doFinal(packet, HEADER + PREFIX, size, packet, HEADER + PREFIX);
    }

    /** Seal only: what the sending host pays per datagram. */
    @Benchmark
    public int sealInPlace() throws GeneralSecurityException {
        return sealOnce(++counter);
    }

    /** Seal then open the same datagram in place: both hosts' cost for one datagram. */
    @Benchmark
    public int sealThenOpen() throws GeneralSecurityException {
        long n = ++counter;
        int sealed = sealOnce(n);
        open.init(Cipher.DECRYPT_MODE, key, spec(n));
        open.updateAAD(packet, 0, HEADER);
        return open.doFinal(packet, HEADER + PREFIX, sealed, packet, HEADER + PREFIX);
    }
}
