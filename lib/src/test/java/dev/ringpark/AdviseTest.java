package dev.ringpark;

import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.OpenMode;
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
    @TempDir
    Path directory;

    /**
     * {@code preadv2(RWF_NOWAIT)} of the first page, on a descriptor of its own: 4096 when it is
     * cached, {@link CallerCalls#WOULD_WAIT} when not.
     */
    private static long readIfCached(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            OpenMode readOnly = new OpenMode(OpenMode.Access.READ, OpenMode.Creation.EXISTING, false, false, false,
                    false, false, true, 0);
            int fd = Ringpark.poller().execute(new Open(arena.allocateFrom(file.toString()), readOnly, true));
            assertTrue(fd >= 0, "open");
            try {
                MemorySegment page = arena.allocate(4096, 4096);
                return CallerCalls.readCached(fd, page.address(), 4096, 0);
            } finally {
                CallerCalls.closeAnyway(fd);
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
            assertEquals(CallerCalls.WOULD_WAIT, readIfCached(file), "not cached after DONT_NEED");
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
