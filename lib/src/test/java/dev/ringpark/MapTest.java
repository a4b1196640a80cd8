package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code map(MapMode, long, long, Arena)}, which Lucene's default directory calls, on every channel
 * Ringpark gives: opened directly, behind a stream's rules, and from the provider (a file channel, a
 * byte channel, a byte channel of a secure directory stream). The segment maps the file; an interrupt
 * closes the channels the JDK's would close, and only those.
 */
class MapTest {
    static final byte[] DATA = Bytes.pattern(70, 3 * 4096 + 17);

    @TempDir
    Path tmp;

    /** One way of getting a Ringpark channel. */
    enum Source {
        OPEN(true) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                return RingFileChannel.open(file, options);
            }
        },
        /** What a stream reads through: an interrupt neither cancels nor closes. */
        OPEN_UNINTERRUPTIBLE(false) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                return RingFileChannel.openUninterruptible(file, options);
            }
        },
        PROVIDER_FILE_CHANNEL(true) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                return FileChannel.open(ring(file), options);
            }
        },
        PROVIDER_BYTE_CHANNEL(true) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                return (FileChannel) Files.newByteChannel(ring(file), options);
            }
        },
        /** With no options at all the provider's byte channel ignores interrupts (ARCHITECTURE.md says why). */
        PROVIDER_BYTE_CHANNEL_WITHOUT_OPTIONS(false) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                return (FileChannel) Files.newByteChannel(ring(file));
            }

            @Override
            boolean writable() {
                return false;
            }
        },
        SECURE_DIRECTORY_STREAM(true) {
            @Override
            FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(ring(file.getParent()))) {
                    Assumptions.assumeTrue(stream instanceof SecureDirectoryStream, "no secure directory streams here");
                    SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
                    return (FileChannel) secure.newByteChannel(
                            RingFileSystemProvider.fileSystem().getPath(file.getFileName().toString()), options);
                }
            }
        };

        final boolean interruptible;

        Source(boolean interruptible) {
            this.interruptible = interruptible;
        }

        abstract FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;

        boolean writable() {
            return true;
        }

        static Path ring(Path file) {
            return RingFileSystemProvider.fileSystem().getPath(file.toString());
        }
    }

    private Path file() throws IOException {
        return Files.write(tmp.resolve("data"), DATA);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void aReadOnlyMappingShowsTheFile(Source source) throws Exception {
        Path file = file();
        try (FileChannel channel = source.open(file, Set.of(READ)); Arena arena = Arena.ofConfined()) {
            if (source != Source.SECURE_DIRECTORY_STREAM || !Ringpark.offloaded()) { // else the JDK's, by design
                assertInstanceOf(RingFileChannel.class, channel);
            }
            MemorySegment mapped = channel.map(MapMode.READ_ONLY, 4096, DATA.length - 4096, arena);
            assertTrue(mapped.isMapped());
            assertArrayEquals(Arrays.copyOfRange(DATA, 4096, DATA.length), mapped.toArray(ValueLayout.JAVA_BYTE));
            assertTrue(mapped.isReadOnly());
        }
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void aReadWriteMappingWritesTheFileAndAPrivateOneDoesNot(Source source) throws Exception {
        Assumptions.assumeTrue(source.writable(), "opens for reading only");
        Path file = file();
        try (FileChannel channel = source.open(file, Set.of(READ, WRITE)); Arena arena = Arena.ofConfined()) {
            MemorySegment shared = channel.map(MapMode.READ_WRITE, 0, 10, arena);
            shared.set(ValueLayout.JAVA_BYTE, 3, (byte) 0);
            shared.force();
            MemorySegment copyOnWrite = channel.map(MapMode.PRIVATE, 0, 10, arena);
            copyOnWrite.set(ValueLayout.JAVA_BYTE, 4, (byte) 0);
        }
        byte[] expected = DATA.clone();
        expected[3] = 0;
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    /**
     * The JDK's {@code map} is a blocking call: an interrupted caller of an interruptible channel
     * closes it and gets {@link ClosedByInterruptException}; one behind a stream's rules maps.
     */
    @ParameterizedTest
    @EnumSource(Source.class)
    void anInterruptedCallerClosesOnlyAnInterruptibleChannel(Source source) throws Exception {
        Path file = file();
        try (FileChannel channel = source.open(file, Set.of(READ)); Arena arena = Arena.ofShared()) {
            Object outcome = VirtualThreads.call(() -> {
                Thread.currentThread().interrupt();
                try {
                    return channel.map(MapMode.READ_ONLY, 0, 100, arena).get(ValueLayout.JAVA_BYTE, 7);
                } catch (ClosedByInterruptException e) {
                    return e;
                } finally {
                    assertTrue(Thread.interrupted(), "the interrupt status stays set");
                }
            });
            if (source.interruptible) {
                assertInstanceOf(ClosedByInterruptException.class, outcome);
                assertFalse(channel.isOpen());
            } else {
                assertEquals(DATA[7], outcome);
                assertTrue(channel.isOpen());
                assertEquals(DATA[8], channel.map(MapMode.READ_ONLY, 0, 100, arena).get(ValueLayout.JAVA_BYTE, 8),
                        "and maps again");
            }
        }
    }
}
