package dev.ringpark.poller.aio;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct iocb}: one Linux AIO request (little-endian layout, as on x86_64 and aarch64).
 *
 * <pre>
 *   0               8       12      16  18  20      24              32
 *   +---------------+-------+-------+---+---+-------+---------------+
 *   |   aio_data    |  key  |rw_flg |op |pri| fildes|    aio_buf    |
 *   +---------------+-------+-------+---+---+-------+---------------+
 *   32              40              48              56      60      64
 *   +---------------+---------------+---------------+-------+-------+
 *   |  aio_nbytes   |  aio_offset   |   reserved    | flags | resfd |
 *   +---------------+---------------+---------------+-------+-------+
 * </pre>
 */
final class IoControlBlock {
    static final long BYTES = 64;

    static final short IOCB_CMD_PREAD = 0;
    static final short IOCB_CMD_PWRITE = 1;
    static final short IOCB_CMD_FSYNC = 2;
    static final short IOCB_CMD_FDSYNC = 3;
    static final short IOCB_CMD_PREADV = 7;
    static final short IOCB_CMD_PWRITEV = 8;
    /** {@code aio_flags}: signal {@code aio_resfd}, an eventfd, on completion. */
    static final int IOCB_FLAG_RESFD = 1;

    private static final long DATA_OFFSET = 0;
    private static final long OPCODE_OFFSET = 16;
    private static final long FD_OFFSET = 20;
    private static final long BUFFER_OFFSET = 24;
    private static final long BYTE_COUNT_OFFSET = 32;
    private static final long FILE_OFFSET_OFFSET = 40;
    private static final long FLAGS_OFFSET = 56;
    private static final long RESULT_FD_OFFSET = 60;

    private IoControlBlock() {
    }

    /** The {@code aio_data} of {@code iocb}. */
    static long userData(MemorySegment iocb) {
        return iocb.get(JAVA_LONG, DATA_OFFSET);
    }

    /**
     * Fills {@code iocb} (zeroing what is not named) as a request whose completion signals
     * {@code eventFd} and carries {@code userData}.
     */
    static void prepare(MemorySegment iocb, short opcode, int fd, long buffer, long byteCount, long fileOffset,
                        long userData, int eventFd) {
        iocb.fill((byte) 0);
        iocb.set(JAVA_LONG, DATA_OFFSET, userData);
        iocb.set(JAVA_SHORT, OPCODE_OFFSET, opcode);
        iocb.set(JAVA_INT, FD_OFFSET, fd);
        iocb.set(JAVA_LONG, BUFFER_OFFSET, buffer);
        iocb.set(JAVA_LONG, BYTE_COUNT_OFFSET, byteCount);
        iocb.set(JAVA_LONG, FILE_OFFSET_OFFSET, fileOffset);
        iocb.set(JAVA_INT, FLAGS_OFFSET, IOCB_FLAG_RESFD);
        iocb.set(JAVA_INT, RESULT_FD_OFFSET, eventFd);
    }
}
