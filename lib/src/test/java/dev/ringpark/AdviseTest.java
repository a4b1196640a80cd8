package dev.ringpark;

import dev.ringpark.poller.Operation;
import dev.ringpark.poller.linux.Errno;
import dev.ringpark.poller.linux.Iovec;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AdviseTest {
    private static final int RWF_NOWAIT = 0x8;

    @TempDir
    Path directory;

    /** {@code preadv2(RWF_NOWAIT)} of the first page: 4096 when it is cached, {@code -EAGAIN} when not. */
    private static long readIfCached(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            int fd = Ringpark.poller().execute(Operation.open(arena.allocateFrom(file.toString()).address(),
                    OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0, true));
            assertTrue(fd >= 0, "open");
            try {
                MemorySegment page = arena.allocate(4096, 4096);
                MemorySegment iovec = arena.allocate(Iovec.BYTES, 8);
                Iovec.set(iovec, 0, page.address(), page.byteSize());
                return LibC.preadv2(callState, fd, iovec, 1, 0, RWF_NOWAIT);
            } finally {
                LibC.close(callState, fd);
            }
        }
    }

    @Test
    void dontNeedDropsTheRangeFromThePageCache() throws IOException {
        Path file = directory.resolve("data");
        try (RingFileChannel channel = RingFileChannel.open(file, CREATE, READ, WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1 << 20]), 0);
            channel.force(true);
            channel.read(ByteBuffer.allocate(4096), 0);
            long before = readIfCached(file);
            assumeTrue(before != -Errno.EOPNOTSUPP, "this file system does not answer RWF_NOWAIT");
            assertEquals(4096, before, "cached after a read");
            channel.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
            assertEquals(-Errno.EAGAIN, readIfCached(file), "not cached after DONT_NEED");
        }
    }

    @Test
    void negativeRangesNullAdviceAndClosedChannelsAreRefused() throws IOException {
        RingFileChannel channel = RingFileChannel.open(directory.resolve("data"), CREATE, READ, WRITE);
        assertThrows(IllegalArgumentException.class, () -> channel.advise(-1, 0, RingFileChannel.Advice.NORMAL));
        assertThrows(IllegalArgumentException.class, () -> channel.advise(0, -1, RingFileChannel.Advice.NORMAL));
        assertThrows(NullPointerException.class, () -> channel.advise(0, 0, null));
        channel.close();
        assertThrows(ClosedChannelException.class, () -> channel.advise(0, 0, RingFileChannel.Advice.NORMAL));
    }
}
