package dev.ringpark;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Test data: reproducible patterns, and short descriptions of bytes for comparisons and messages. */
final class Bytes {
    private Bytes() {}

    /** {@code n} pseudo-random bytes determined by {@code seed}. */
    static byte[] pattern(long seed, int n) {
        byte[] bytes = new byte[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) random.nextInt(1, 256); // never 0, so holes (zeros) are told apart from data
        }
        return bytes;
    }

    /** The bytes from 0 to the buffer's limit, whatever its position, and its position and limit. */
    static String describe(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.limit()];
        buffer.duplicate().position(0).get(bytes);
        return "position=" + buffer.position() + " limit=" + buffer.limit() + " " + describe(bytes);
    }

    static String describe(MemorySegment segment) {
        return describe(segment.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Short arrays in full, longer ones as length, a digest and where zeros (holes) are. */
    static String describe(byte[] bytes) {
        if (bytes.length <= 64) {
            return "[" + HexFormat.of().formatHex(bytes) + "]";
        }
        int firstZero = -1;
        int zeros = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                zeros++;
                if (firstZero < 0) {
                    firstZero = i;
                }
            }
        }
        return bytes.length + " bytes sha256=" + sha256(bytes) + " zeros=" + zeros + " firstZero=" + firstZero;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
