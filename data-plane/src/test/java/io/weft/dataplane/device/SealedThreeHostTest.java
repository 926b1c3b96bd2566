package io.weft.dataplane.device;

import io.weft.dataplane.seal.PacketOpener;
import io.weft.dataplane.seal.PacketSealer;
import io.weft.dataplane.wire.Bytes;
import io.weft.dataplane.wire.Header;

/**
 * The whole three-host suite again, through a toy sealer that uses a prefix and a suffix and
 * transforms the payload: proves the device honours the sealing seam's layout (offsets, lengths,
 * relay wrapping around sealed datagrams, heartbeats sealed too) before real AEAD arrives.
 * NOT cryptography: a magic prefix, XOR, and an additive tag.
 */
class SealedThreeHostTest extends ThreeHostTest {
    static final long MAGIC = 0x5745_4654_5445_5354L; // "WEFTTEST"

    static final class ToySealer implements PacketSealer, PacketOpener {
        @Override
        public int prefixLength() {
            return 8;
        }

        @Override
        public int suffixLength() {
            return 4;
        }

        @Override
        public int seal(int peerId, byte[] buf, int off, int len) {
            int p = off + Header.LENGTH;
            Bytes.putI64(buf, p, MAGIC ^ peerId);
            int sum = 0;
            for (int i = p + 8; i < p + 8 + len; i++) {
                sum += buf[i];
                buf[i] ^= 0x5A;
            }
            Bytes.putI32(buf, p + 8 + len, sum);
            return Header.LENGTH + 8 + len + 4;
        }

        @Override
        public int open(int peerId, byte[] buf, int off, int length) {
            int len = length - Header.LENGTH - 12;
            int p = off + Header.LENGTH;
            // The sealer keyed the prefix to the receiver; the receiver is the header's destination.
            if (len < 0 || Bytes.i64(buf, p) != (MAGIC ^ Bytes.i32(buf, off + 12))) {
                return -1;
            }
            int sum = 0;
            for (int i = p + 8; i < p + 8 + len; i++) {
                buf[i] ^= 0x5A;
                sum += buf[i];
            }
            return sum == Bytes.i32(buf, p + 8 + len) ? len : -1;
        }
    }

    private static final ToySealer TOY = new ToySealer();

    @Override
    Sealing sealing(int id) {
        return new Sealing(TOY, TOY, (peer, buf, off, len, from) -> handshakesSeen.add("from " + peer + " len " + len + " via " + from), true);
    }
}
