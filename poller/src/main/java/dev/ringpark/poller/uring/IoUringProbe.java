package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe} with its {@code struct io_uring_probe_op} array, which
 * {@code IORING_REGISTER_PROBE} fills: which opcodes this kernel knows.
 *
 * <pre>
 *   0         1         2       4              16
 *   +---------+---------+-------+--------------+
 *   | last_op | ops_len | resv  | resv2[3]     |   then ops_len entries of 8 bytes:
 *   +---------+---------+-------+--------------+
 *   0    1      2       4        8
 *   +----+------+-------+--------+
 *   | op | resv | flags | resv2  |
 *   +----+------+-------+--------+
 * </pre>
 */
final class IoUringProbe {
    /** Entries asked for: every opcode fits in a byte. */
    static final int OPS = 256;
    static final long BYTES = 16 + OPS * 8L;

    private static final long LAST_OP = 0;
    private static final long OPS_OFFSET = 16;
    private static final long OP_BYTES = 8;
    private static final long OP_FLAGS = 2;
    private static final int IO_URING_OP_SUPPORTED = 1;

    private IoUringProbe() {
    }

    /** Whether the filled {@code probe} says the kernel supports {@code opcode}. */
    static boolean supports(MemorySegment probe, byte opcode) {
        int op = Byte.toUnsignedInt(opcode);
        if (op > Byte.toUnsignedInt(probe.get(JAVA_BYTE, LAST_OP))) {
            return false;
        }
        return (probe.get(JAVA_SHORT, OPS_OFFSET + op * OP_BYTES + OP_FLAGS) & IO_URING_OP_SUPPORTED) != 0;
    }
}
