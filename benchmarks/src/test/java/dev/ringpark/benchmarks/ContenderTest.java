package dev.ringpark.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every contender reads, writes and forces the same bytes, buffered and with O_DIRECT. */
class ContenderTest {
    private static final int BLOCK = 4096;
    private Path file;
    private Arena arena;

    @BeforeEach
    void createFile() throws IOException {
        file = BenchmarkFile.createEmpty("contender-test-"); // in the module directory: on a disk
        arena = Arena.ofShared();
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
        try (BlockingFile channel = contender.open(file, 4, "io_uring", WRITE)) {
            assertEquals(BLOCK, channel.write(written, BLOCK));
            channel.forceData();
        }
        PageCache.drop(file);
        for (CacheState cache : CacheState.values()) {
            cache.prepare(file);
            try (BlockingFile channel = contender.open(file, 4, "io_uring", cache.openOptions())) {
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
