package dev.ringpark.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every contender reads, writes and forces the same bytes, buffered and with O_DIRECT; Ringpark on the
 * first driver that works here (io_uring where the kernel allows it). The file is in the module's
 * directory, which must take O_DIRECT (not tmpfs before Linux 6.6); elsewhere the test is skipped.
 */
class ContenderTest {
    private static final int BLOCK = 4096;
    private Path file;
    private Arena arena;

    @BeforeEach
    void createFile() throws IOException {
        file = BenchmarkFile.createEmpty("contender-test-"); // in the module directory: on a disk
        arena = Arena.ofShared();
        try (FileChannel direct = FileChannel.open(file, CacheState.DIRECT.openOptions())) {
            direct.read(block((byte) 0), 0);
        } catch (IOException e) {
            Assumptions.abort("the module's directory does not take O_DIRECT: " + e);
        }
    }

    @AfterEach
    void deleteFile() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
    }

    @ParameterizedTest
    @EnumSource(Contender.class)
    void writesForcesAndReadsBackBufferedAndDirect(Contender contender) throws IOException {
        ByteBuffer written = block((byte) 7);
        try (BlockingFile channel = contender.open(file, 4, Contender.PROBE, WRITE)) {
            assertEquals(BLOCK, channel.write(written, BLOCK));
            channel.forceData();
        }
        PageCache.drop(file);
        for (CacheState cache : CacheState.values()) {
            cache.prepare(file);
            try (BlockingFile channel = contender.open(file, 4, Contender.PROBE, cache.openOptions())) {
                ByteBuffer read = block((byte) 0);
                assertEquals(BLOCK, channel.read(read, BLOCK), cache.name());
                assertEquals(written.rewind(), read.flip(), cache.name());
                assertEquals(-1, channel.read(read.clear(), 2 * BLOCK), cache + ": end of file");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Contender.class)
    void opensFilesByTheirParameterNames(Contender contender) {
        assertEquals(contender, Contender.named(contender.name().toLowerCase()));
    }

    /** A block aligned for O_DIRECT, filled with {@code value}. */
    private ByteBuffer block(byte value) {
        return arena.allocate(BLOCK, BLOCK).fill(value).asByteBuffer();
    }
}
