package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe} (64 bytes), the fields Ringpark fills.
 *
 * <pre>
 *   0      1      2        4      8            16           24     28          32
 *   +------+------+--------+------+------------+------------+------+-----------+
 *   |opcode|flags | ioprio |  fd  | off/addr2  | addr       | len  | op_flags  |
 *   +------+------+--------+------+------------+------------+------+-----------+
 *   32           40          42            44            48       56      64
 *   +------------+-----------+-------------+-------------+--------+-------+
 *   | user_data  | buf_index | personality | file_index  | addr3  | pad   |
 *   +------------+-----------+-------------+-------------+--------+-------+
 * </pre>
 * {@code op_flags} is a union: {@code rw_flags}, {@code fsync_flags}, {@code open_flags},
 * {@code statx_flags}, {@code cancel_flags}, {@code unlink_flags}, {@code fadvise_advice},
 * {@code splice_flags}, {@code poll32_events}, {@code timeout_flags}. A splice also takes {@code splice_off_in} in {@code addr} and
 * {@code splice_fd_in} in place of {@code file_index} ({@link #setSpliceFdIn}).
 *
 * <p>Every field is written plainly: the kernel reads an entry only after the release of the SQ tail
 * that follows these stores ({@code SubmissionQueue.publish}).
 */
final class SubmissionQueueEntry {
    static final long BYTES = 64;

    private static final long OPCODE = 0;
    private static final long FLAGS = 1;
    private static final long IOPRIO = 2;
    private static final long FD = 4;
    private static final long OFF = 8;
    private static final long ADDR = 16;
    private static final long LEN = 24;
    private static final long OP_FLAGS = 28;
    private static final long USER_DATA = 32;
    private static final long BUF_INDEX_PERSONALITY_FILE_INDEX = 40;
    /** {@code splice_fd_in}, in the union with {@code file_index}: the descriptor a splice reads. */
    private static final long SPLICE_FD_IN = 44;
    private static final long ADDR3 = 48;
    private static final long PAD = 56;

    static final byte IORING_OP_NOP = 0;
    static final byte IORING_OP_READV = 1;
    static final byte IORING_OP_WRITEV = 2;
    static final byte IORING_OP_FSYNC = 3;
    static final byte IORING_OP_POLL_ADD = 6;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final byte IORING_OP_LINK_TIMEOUT = 15;
    static final byte IORING_OP_OPENAT = 18;
    static final byte IORING_OP_CLOSE = 19;
    static final byte IORING_OP_STATX = 21;
    static final byte IORING_OP_READ = 22;
    static final byte IORING_OP_FADVISE = 24;
    static final byte IORING_OP_WRITE = 23;
    static final byte IORING_OP_SPLICE = 30;
    static final byte IORING_OP_UNLINKAT = 36;
    static final byte IORING_OP_FTRUNCATE = 55;

    /** SQE flag: the next entry depends on this one; for a linked timeout, it bounds this one. */
    static final byte IOSQE_IO_LINK = 1 << 2;
    /** SQE flag: go straight to an io-wq worker instead of trying a non-blocking attempt first. */
    static final byte IOSQE_ASYNC = 1 << 4;

    /** {@code fsync_flags}: {@code fdatasync} instead of {@code fsync}. */
    static final int IORING_FSYNC_DATASYNC = 1;

    private SubmissionQueueEntry() {
    }

    /**
     * Fills the entry at {@code offset} in {@code sqes}. Every field the kernel reads for any opcode
     * Ringpark uses is written, so a recycled entry carries nothing over from its last use.
     */
    static void prepare(MemorySegment sqes, long offset, byte opcode, byte sqeFlags, int fd, long address,
                        int length, long fileOffset, int opFlags, long userData) {
        sqes.set(JAVA_BYTE, offset + OPCODE, opcode);
        sqes.set(JAVA_BYTE, offset + FLAGS, sqeFlags);
        sqes.set(JAVA_SHORT, offset + IOPRIO, (short) 0);
        sqes.set(JAVA_INT, offset + FD, fd);
        sqes.set(JAVA_LONG, offset + OFF, fileOffset);
        sqes.set(JAVA_LONG, offset + ADDR, address);
        sqes.set(JAVA_INT, offset + LEN, length);
        sqes.set(JAVA_INT, offset + OP_FLAGS, opFlags);
        sqes.set(JAVA_LONG, offset + USER_DATA, userData);
        sqes.set(JAVA_LONG, offset + BUF_INDEX_PERSONALITY_FILE_INDEX, 0L);
        sqes.set(JAVA_LONG, offset + ADDR3, 0L);
        sqes.set(JAVA_LONG, offset + PAD, 0L);
    }

    /** After {@link #prepare} of a splice: the descriptor it reads from ({@code fd} is the one it writes to). */
    static void setSpliceFdIn(MemorySegment sqes, long offset, int fd) {
        sqes.set(JAVA_INT, offset + SPLICE_FD_IN, fd);
    }
}
