package dev.ringpark.poller.aio;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_event}: one Linux AIO completion.
 *
 * <pre>
 *   0               8               16              24              32
 *   +---------------+---------------+---------------+---------------+
 *   |     data      |   obj (iocb)  |      res      |     res2      |
 *   +---------------+---------------+---------------+---------------+
 * </pre>
 */
final class IoEvent {
    static final long BYTES = 32;
    private static final long DATA_OFFSET = 0;
    private static final long CONTROL_BLOCK_OFFSET = 8;
    private static final long RESULT_OFFSET = 16;

    private IoEvent() {
    }

    /** The request's {@code aio_data}. */
    static long userData(MemorySegment events, int index) {
        return events.get(JAVA_LONG, index * BYTES + DATA_OFFSET);
    }

    /** The address of the request's {@code iocb}. */
    static long controlBlock(MemorySegment events, int index) {
        return events.get(JAVA_LONG, index * BYTES + CONTROL_BLOCK_OFFSET);
    }

    /** What the transfer returned, or {@code -errno}. */
    static long result(MemorySegment events, int index) {
        return events.get(JAVA_LONG, index * BYTES + RESULT_OFFSET);
    }
}
