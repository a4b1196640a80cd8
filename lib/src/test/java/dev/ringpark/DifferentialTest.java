package dev.ringpark;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.SideBySide.Pair;
import dev.ringpark.SideBySide.Scenario;
import dev.ringpark.SideBySide.Setup;
import dev.ringpark.SideBySide.Side;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario runs against {@code FileChannel.open} and {@code RingFileChannel.open} on twin files
 * and must observe the same return values, positions, sizes, exception types and resulting files.
 */
class DifferentialTest {

    static final int SIZE = 10_000;
    static final byte[] DATA = Bytes.pattern(1, SIZE);
    static final Setup DATA_FILE = dir -> Files.write(dir.resolve("data"), DATA);

    /** A shared arena for segments that any thread may use; lives as long as the test class. */
    static final Arena SHARED = Arena.ofShared();

    @TempDir
    Path tmp;

    @AfterAll
    static void closeSharedArena() {
        SHARED.close();
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    enum Existing {
        EXISTING_FILE(dir -> Files.write(dir.resolve("f"), "abcdefgh".getBytes(StandardCharsets.US_ASCII))),
        MISSING_FILE(dir -> { });

        final Setup setup;

        Existing(Setup setup) {
            this.setup = setup;
        }
    }

    /** READ/WRITE/APPEND (and none) x CREATE/CREATE_NEW/TRUNCATE_EXISTING (and none) x existing/missing. */
    static Stream<Arguments> openOptionCombinations() {
        List<List<OpenOption>> access = List.of(List.of(), List.of(READ), List.of(WRITE), List.of(APPEND),
                List.of(READ, WRITE), List.of(WRITE, APPEND), List.of(READ, APPEND), List.of(READ, WRITE, APPEND));
        List<List<OpenOption>> creation = List.of(List.of(), List.of(CREATE), List.of(CREATE_NEW),
                List.of(TRUNCATE_EXISTING), List.of(CREATE, TRUNCATE_EXISTING), List.of(CREATE_NEW, TRUNCATE_EXISTING));
        List<Arguments> combinations = new ArrayList<>();
        for (List<OpenOption> a : access) {
            for (List<OpenOption> c : creation) {
                for (Existing existing : Existing.values()) {
                    List<OpenOption> options = new ArrayList<>(a);
                    options.addAll(c);
                    combinations.add(Arguments.of(options, existing));
                }
            }
        }
        return combinations.stream();
    }

    @ParameterizedTest(name = "opening an {1} with {0} behaves like the JDK")
    @MethodSource("openOptionCombinations")
    void openingWithOptionsBehavesLikeTheJdk(List<OpenOption> options, Existing existing) throws Exception {
        SideBySide.compare(tmp, existing.setup, side -> {
            FileChannel ch = side.open("f", new LinkedHashSet<>(options));
            useBriefly(side, ch);
        });
    }

    /** Reads, writes and reports position and size, logging what each step gives. */
    static void useBriefly(Side side, FileChannel ch) throws IOException {
        side.log("position", ch.position());
        side.log("size", ch.size());
        ByteBuffer buffer = ByteBuffer.allocate(4);
        side.attempt("read", () -> ch.read(buffer));
        side.logBuffer("buffer", buffer);
        side.attempt("write", () -> ch.write(ascii("XY")));
        side.attempt("positional write", () -> ch.write(ascii("Z"), 1));
        side.attempt("positional read", () -> ch.read(ByteBuffer.allocate(3), 0));
        side.log("position", ch.position());
        side.log("size", ch.size());
    }

    static Stream<Named<Scenario>> specialOpens() {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        FileAttribute<Set<PosixFilePermission>> ownerOnlyAttr = PosixFilePermissions.asFileAttribute(ownerOnly);
        FileAttribute<Set<PosixFilePermission>> groupExecAttr =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---"));
        return Stream.of(
                Named.of("DELETE_ON_CLOSE deletes an existing file once the channel is closed", side -> {
                    existingFile(side);
                    FileChannel ch = side.open("f", READ, WRITE, DELETE_ON_CLOSE);
                    useBriefly(side, ch);
                    ch.close();
                    side.log("exists after close", Files.exists(side.path("f")));
                }),
                Named.of("DELETE_ON_CLOSE with CREATE_NEW deletes the new file once closed", side -> {
                    FileChannel ch = side.open("f", WRITE, CREATE_NEW, DELETE_ON_CLOSE);
                    side.log("write", ch.write(ascii("hello")));
                    ch.close();
                    side.log("exists after close", Files.exists(side.path("f")));
                }),
                Named.of("SYNC writes like a plain channel", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", READ, WRITE, SYNC));
                }),
                Named.of("DSYNC writes like a plain channel", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", READ, WRITE, DSYNC));
                }),
                Named.of("SYNC and DSYNC together with APPEND append", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", WRITE, APPEND, SYNC, DSYNC));
                }),
                Named.of("SPARSE with CREATE_NEW makes a file with a hole", side -> {
                    FileChannel ch = side.open("f", READ, WRITE, CREATE_NEW, SPARSE);
                    side.log("write far", ch.write(ascii("end"), 1 << 20));
                    side.log("size", ch.size());
                }),
                Named.of("SPARSE is ignored for an existing file", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", READ, WRITE, SPARSE));
                }),
                Named.of("NOFOLLOW_LINKS refuses a symbolic link for reading", side -> {
                    existingFile(side);
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    side.open("link", Set.of(READ, LinkOption.NOFOLLOW_LINKS));
                }),
                Named.of("NOFOLLOW_LINKS refuses a symbolic link for writing with CREATE", side -> {
                    existingFile(side);
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    side.open("link", Set.of(WRITE, CREATE, LinkOption.NOFOLLOW_LINKS));
                }),
                Named.of("NOFOLLOW_LINKS opens a regular file", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", Set.of(READ, WRITE, LinkOption.NOFOLLOW_LINKS)));
                }),
                Named.of("without NOFOLLOW_LINKS a symbolic link is followed", side -> {
                    existingFile(side);
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    useBriefly(side, side.open("link", READ, WRITE));
                }),
                Named.of("CREATE through a dangling symbolic link creates its target", side -> {
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    useBriefly(side, side.open("link", READ, WRITE, CREATE));
                }),
                Named.of("CREATE_NEW on a dangling symbolic link fails", side -> {
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    side.open("link", READ, WRITE, CREATE_NEW);
                }),
                Named.of("CREATE in a missing directory fails", side -> {
                    side.open("missing/f", WRITE, CREATE);
                }),
                Named.of("permissions given to CREATE_NEW are applied", side -> {
                    useBriefly(side, side.open("f", Set.of(READ, WRITE, CREATE_NEW), ownerOnlyAttr));
                }),
                Named.of("permissions given to CREATE apply to a new file", side -> {
                    useBriefly(side, side.open("f", Set.of(WRITE, CREATE), groupExecAttr));
                }),
                Named.of("permissions given to CREATE leave an existing file's alone", side -> {
                    existingFile(side);
                    useBriefly(side, side.open("f", Set.of(READ, WRITE, CREATE), ownerOnlyAttr));
                }),
                Named.of("the options may also be given as an array", side -> {
                    existingFile(side);
                    FileChannel ch = side.impl.openWithArray(side.path("f"), WRITE, APPEND);
                    side.channels.add(ch);
                    useBriefly(side, ch);
                }),
                Named.of("no options at all opens for reading", side -> {
                    existingFile(side);
                    FileChannel ch = side.impl.openWithArray(side.path("f"));
                    side.channels.add(ch);
                    useBriefly(side, ch);
                }),
                Named.of("an option repeated in the array counts once", side -> {
                    existingFile(side);
                    FileChannel ch = side.impl.openWithArray(side.path("f"), READ, READ, WRITE, READ, WRITE);
                    side.channels.add(ch);
                    useBriefly(side, ch);
                }),
                Named.of("CREATE and APPEND repeated in the array create and append once", side -> {
                    FileChannel ch = side.impl.openWithArray(side.path("f"), CREATE, APPEND, CREATE, APPEND);
                    side.channels.add(ch);
                    useBriefly(side, ch);
                }),
                Named.of("a repeated option does not hide READ + APPEND", side -> {
                    existingFile(side);
                    side.channels.add(side.impl.openWithArray(side.path("f"), READ, APPEND, READ));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specialOpens")
    void specialOpenOptionsBehaveLikeTheJdk(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    @ParameterizedTest(name = "{0} is rejected with IllegalArgumentException like the JDK")
    @MethodSource("contradictoryOptions")
    void contradictoryOptionsAreRejected(Set<OpenOption> options) throws Exception {
        Pair outcome = SideBySide.compare(tmp, Existing.EXISTING_FILE.setup, side -> side.open("f", options));
        assertEquals(IllegalArgumentException.class, outcome.jdk().thrownType());
    }

    static Stream<Set<OpenOption>> contradictoryOptions() {
        return Stream.of(Set.of(READ, APPEND), Set.of(APPEND, TRUNCATE_EXISTING), Set.of(WRITE, APPEND, TRUNCATE_EXISTING),
                Set.of(READ, WRITE, APPEND, CREATE, TRUNCATE_EXISTING));
    }

    /**
     * Surprise: for ELOOP the JDK throws a plain IOException ("Too many levels of symbolic links
     * (NOFOLLOW_LINKS specified)"), not a FileSystemException naming the link.
     */
    @Test
    void noFollowLinksOnASymbolicLinkFailsWithAPlainIOException() throws Exception {
        Pair outcome = SideBySide.compare(tmp, Existing.EXISTING_FILE.setup, side -> {
            Files.createSymbolicLink(side.path("link"), Path.of("f"));
            side.open("link", Set.of(READ, LinkOption.NOFOLLOW_LINKS));
        });
        assertEquals(IOException.class, outcome.jdk().thrownType(), "what the JDK throws");
    }

    static void existingFile(Side side) throws IOException {
        Files.write(side.path("f"), "abcdefgh".getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------------------------------------
    // Reading and writing with ByteBuffers

    enum BufferKind {
        HEAP {
            @Override
            ByteBuffer allocate(int n) {
                return ByteBuffer.allocate(n);
            }
        },
        DIRECT {
            @Override
            ByteBuffer allocate(int n) {
                return ByteBuffer.allocateDirect(n);
            }
        },
        /** A heap buffer that is a slice starting inside its array (non-zero array offset). */
        HEAP_SLICE {
            @Override
            ByteBuffer allocate(int n) {
                return ByteBuffer.allocate(n + 13).position(7).slice().limit(n);
            }
        };

        abstract ByteBuffer allocate(int n);

        ByteBuffer of(byte[] bytes) {
            return allocate(bytes.length).put(bytes).flip();
        }

        ByteBuffer pattern(long seed, int n) {
            return of(Bytes.pattern(seed, n));
        }
    }

    @FunctionalInterface
    interface IoScenario {
        void run(Side side, BufferKind buffers) throws Exception;
    }

    static FileChannel readWrite(Side side) throws IOException {
        return side.open("data", READ, WRITE);
    }

    static Stream<Named<IoScenario>> readsAndWrites() {
        return Stream.of(
                Named.of("reads at and past the end of the file return -1", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    s.log("position", ch.position(SIZE).position());
                    s.log("relative at end", ch.read(b.allocate(100)));
                    s.log("positional at size", ch.read(b.allocate(100), SIZE));
                    s.log("positional past size", ch.read(b.allocate(100), SIZE + 12_345));
                    s.attempt("positional far past size", () -> ch.read(b.allocate(100), Long.MAX_VALUE - 1));
                    s.log("position", ch.position());
                }),
                Named.of("a read that crosses the end of the file is short", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ByteBuffer positional = b.allocate(100);
                    s.log("positional", ch.read(positional, SIZE - 10));
                    s.logBuffer("positional buffer", positional);
                    ch.position(SIZE - 30);
                    ByteBuffer relative = b.allocate(100);
                    s.log("relative", ch.read(relative));
                    s.logBuffer("relative buffer", relative);
                    s.log("relative again", ch.read(relative));
                    s.log("position", ch.position());
                }),
                Named.of("relative reads advance the position", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    for (int i = 0; i < 4; i++) {
                        ByteBuffer buffer = b.allocate(4000);
                        s.log("read " + i, ch.read(buffer));
                        s.logBuffer("buffer " + i, buffer);
                        s.log("position " + i, ch.position());
                    }
                }),
                Named.of("relative writes advance the position and grow the file", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(100);
                    s.log("write 1", ch.write(b.pattern(2, 3000)));
                    s.log("position 1", ch.position());
                    s.log("write 2", ch.write(b.pattern(3, 3000)));
                    ch.position(9000);
                    s.log("write 3", ch.write(b.pattern(4, 5000)));
                    s.log("position 3", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("positional reads and writes leave the position alone", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(123);
                    ByteBuffer buffer = b.allocate(500);
                    s.log("read", ch.read(buffer, 5000));
                    s.logBuffer("buffer", buffer);
                    s.log("write", ch.write(b.pattern(5, 700), 7000));
                    s.log("write past end", ch.write(b.pattern(6, 700), SIZE - 100));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("writing after positioning past the end leaves a hole of zeros", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    s.log("position", ch.position(SIZE + 5000).position());
                    s.log("size before", ch.size());
                    s.log("read past end", ch.read(b.allocate(10)));
                    s.log("write", ch.write(b.pattern(7, 10)));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    s.log("positional write far", ch.write(b.pattern(8, 10), SIZE + 100_000));
                    ByteBuffer hole = b.allocate(64);
                    s.log("read in hole", ch.read(hole, SIZE + 50_000));
                    s.logBuffer("hole", hole);
                }),
                Named.of("truncating below the position moves the position to the new size", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(8000);
                    s.log("truncate returns the channel", ch.truncate(5000) == ch);
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    s.log("read", ch.read(b.allocate(10)));
                    s.log("write", ch.write(b.pattern(9, 10)));
                    s.log("size after write", ch.size());
                }),
                Named.of("truncating to more than the size changes nothing", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(3000);
                    ch.truncate(2L * SIZE);
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    ch.truncate(SIZE);
                    s.log("size after truncate to size", ch.size());
                }),
                Named.of("truncating with the position past the end clamps the position", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(SIZE + 2000);
                    ch.truncate(SIZE + 1000);
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    ch.truncate(0);
                    s.log("position after truncate to 0", ch.position());
                    s.log("size after truncate to 0", ch.size());
                }),
                Named.of("appending writes at the end whatever the position", (s, b) -> {
                    FileChannel ch = s.open("data", WRITE, APPEND);
                    s.log("initial position", ch.position());
                    s.log("write", ch.write(b.pattern(10, 100)));
                    s.log("position is size", ch.position() == ch.size());
                    s.log("position(0) returns the channel", ch.position(0) == ch);
                    s.log("write after position(0)", ch.write(b.pattern(11, 50)));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    s.log("positional write", ch.write(b.pattern(12, 20), 0));
                    s.log("size after positional write", ch.size());
                    ch.truncate(5000);
                    s.log("position after truncate", ch.position());
                    s.log("write after truncate", ch.write(b.pattern(13, 30)));
                    s.log("final position", ch.position());
                    s.log("final size", ch.size());
                }),
                Named.of("scattering reads fill the buffers in order, skipping empty ones", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ByteBuffer[] buffers = {b.allocate(0), b.allocate(100), b.allocate(0), b.allocate(3000),
                            b.allocate(7000), b.allocate(0)};
                    s.log("read", ch.read(buffers));
                    logBuffers(s, buffers);
                    s.log("position", ch.position());
                    s.log("read at end", ch.read(buffers));
                }),
                Named.of("scattering reads use only the offset/length sub-range", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(500);
                    ByteBuffer window = b.allocate(100).position(10).limit(50);
                    ByteBuffer[] buffers = {b.allocate(20), b.allocate(0), window, b.allocate(30), b.allocate(40)};
                    s.log("read 1..3", ch.read(buffers, 1, 3));
                    logBuffers(s, buffers);
                    s.log("read 0..0", ch.read(buffers, 0, 0));
                    s.log("read 4..4", ch.read(buffers, 4, 1));
                    s.log("read 5..4", ch.read(buffers, 5, 0));
                    logBuffers(s, buffers);
                    s.log("position", ch.position());
                }),
                Named.of("scattering reads stop at the end of the file", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(SIZE - 1000);
                    ByteBuffer[] buffers = {b.allocate(500), b.allocate(0), b.allocate(2000), b.allocate(10)};
                    s.log("read", ch.read(buffers));
                    logBuffers(s, buffers);
                    s.log("read at end", ch.read(buffers));
                }),
                Named.of("gathering writes write the buffers in order, skipping empty ones", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(9000);
                    ByteBuffer[] buffers = {b.allocate(0), b.pattern(14, 10), b.allocate(0), b.pattern(15, 300),
                            b.pattern(16, 5000), b.allocate(0)};
                    s.log("write", ch.write(buffers));
                    logBuffers(s, buffers);
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                    s.log("write of drained buffers", ch.write(buffers));
                }),
                Named.of("gathering writes use only the offset/length sub-range", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(20);
                    ByteBuffer window = b.pattern(17, 100).position(10).limit(50);
                    ByteBuffer[] buffers = {b.pattern(18, 20), b.allocate(0), window, b.pattern(19, 30), b.pattern(20, 40)};
                    s.log("write 1..3", ch.write(buffers, 1, 3));
                    s.log("write 0..0", ch.write(buffers, 0, 0));
                    s.log("write 4..4", ch.write(buffers, 4, 1));
                    logBuffers(s, buffers);
                    s.log("position", ch.position());
                }),
                Named.of("zero-length buffers transfer nothing, even at or past the end", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ByteBuffer empty = b.allocate(0);
                    ByteBuffer full = b.allocate(16).position(16);
                    s.log("read empty", ch.read(empty));
                    s.log("read full", ch.read(full));
                    s.log("positional read empty", ch.read(empty, 0));
                    s.log("positional read empty past end", ch.read(empty, SIZE + 1));
                    s.log("write empty", ch.write(empty));
                    s.log("positional write empty past end", ch.write(empty, SIZE + 100));
                    s.log("scattering read of empties", ch.read(new ByteBuffer[] {empty, full}));
                    s.log("scattering read of none", ch.read(new ByteBuffer[0]));
                    s.log("gathering write of empties", ch.write(new ByteBuffer[] {empty, empty}));
                    ch.position(SIZE);
                    s.log("read empty at end", ch.read(empty));
                    s.log("scattering read of empties at end", ch.read(new ByteBuffer[] {empty}));
                    ch.position(SIZE + 10);
                    s.log("write empty past end", ch.write(empty));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("a buffer's position and limit are honoured", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ByteBuffer window = b.allocate(100).position(10).limit(60);
                    s.log("read", ch.read(window, 1000));
                    s.logBuffer("window", window);
                    ByteBuffer source = b.pattern(21, 100).position(30).limit(45);
                    s.log("write", ch.write(source, 2000));
                    s.logBuffer("source", source);
                }),
                Named.of("large reads and writes are not split", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    ByteBuffer big = b.allocate(1 << 20);
                    s.log("read", ch.read(big, 0));
                    s.logBuffer("big", big);
                    s.log("write", ch.write(b.pattern(22, 3 << 20), 5000));
                    s.log("relative write", ch.write(b.pattern(23, 2 << 20)));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("force with and without metadata keeps the data", (s, b) -> {
                    FileChannel ch = readWrite(s);
                    s.log("write", ch.write(b.pattern(24, 100), 50));
                    ch.force(true);
                    ch.force(false);
                    FileChannel readOnly = s.open("data", READ);
                    readOnly.force(true);
                    readOnly.force(false);
                    ByteBuffer check = b.allocate(100);
                    s.log("read back", readOnly.read(check, 50));
                    s.logBuffer("check", check);
                }));
    }

    static void logBuffers(Side side, ByteBuffer[] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            side.logBuffer("buffer " + i, buffers[i]);
        }
    }

    static Stream<Arguments> readsAndWritesWithEveryBufferKind() {
        return readsAndWrites().flatMap(
                scenario -> Arrays.stream(BufferKind.values()).map(kind -> Arguments.of(scenario, kind)));
    }

    @ParameterizedTest(name = "{0} ({1} buffers)")
    @MethodSource("readsAndWritesWithEveryBufferKind")
    void readsAndWritesBehaveLikeTheJdk(IoScenario scenario, BufferKind buffers) throws Exception {
        SideBySide.compare(tmp, DATA_FILE, side -> scenario.run(side, buffers));
    }

    // ---------------------------------------------------------------------------------------------
    // Transfers

    static Stream<Named<Scenario>> transfers() {
        return Stream.of(
                Named.of("transferTo copies into a JDK file channel", s -> {
                    FileChannel ch = readWrite(s);
                    ch.position(77);
                    try (FileChannel out = FileChannel.open(s.path("out"), CREATE, WRITE)) {
                        s.log("all", ch.transferTo(0, SIZE, out));
                        s.log("tail, count too large", ch.transferTo(5000, 100_000, out));
                        s.log("at end", ch.transferTo(SIZE, 10, out));
                        s.log("past end", ch.transferTo(SIZE + 1, 10, out));
                        s.log("nothing", ch.transferTo(10, 0, out));
                        s.log("target position", out.position());
                    }
                    s.log("position unchanged", ch.position());
                }),
                Named.of("transferTo copies into a stream channel", s -> {
                    FileChannel ch = readWrite(s);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    WritableByteChannel out = Channels.newChannel(bytes);
                    s.log("middle", ch.transferTo(100, 3000, out));
                    s.log("tail", ch.transferTo(SIZE - 10, 3000, out));
                    s.log("bytes", Bytes.describe(bytes.toByteArray()));
                    s.log("position unchanged", ch.position());
                }),
                Named.of("transferFrom copies from a JDK file channel", s -> {
                    Files.write(s.path("src"), Bytes.pattern(30, 20_000));
                    FileChannel ch = readWrite(s);
                    try (FileChannel in = FileChannel.open(s.path("src"), READ)) {
                        s.log("into the middle", ch.transferFrom(in, 1000, 5000));
                        s.log("source position", in.position());
                        s.log("at the end", ch.transferFrom(in, SIZE, 1000));
                        s.log("past the end", ch.transferFrom(in, 3L * SIZE, 10));
                        s.log("more than the source has", ch.transferFrom(in, 0, 100_000));
                        s.log("source position", in.position());
                    }
                    s.log("position unchanged", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("transferFrom copies from a stream channel", s -> {
                    FileChannel ch = readWrite(s);
                    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(Bytes.pattern(31, 7000)));
                    s.log("transfer", ch.transferFrom(in, 9000, 50_000));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("a JDK file channel transfers to and from it", s -> {
                    Files.write(s.path("other"), Bytes.pattern(32, 6000));
                    FileChannel ch = readWrite(s);
                    ch.position(400);
                    try (FileChannel other = FileChannel.open(s.path("other"), READ, WRITE)) {
                        s.log("JDK transferTo", other.transferTo(0, 6000, ch));
                        s.log("position after being written to", ch.position());
                        s.log("JDK transferFrom", other.transferFrom(ch, 3000, 8000));
                        s.log("position after being read from", ch.position());
                        s.log("other size", other.size());
                    }
                }),
                Named.of("transfers between two of its own channels", s -> {
                    Files.write(s.path("copy"), new byte[0]);
                    FileChannel ch = readWrite(s);
                    FileChannel copy = s.open("copy", READ, WRITE);
                    s.log("transferTo", ch.transferTo(0, SIZE, copy));
                    s.log("transferFrom", copy.transferFrom(ch, SIZE, SIZE));
                    s.log("copy position", copy.position());
                    s.log("copy size", copy.size());
                }),
                Named.of("transferTo another of its own channels writes at its position, which moves", s -> {
                    FileChannel ch = readWrite(s);
                    FileChannel out = s.open("out", READ, WRITE, CREATE);
                    out.position(77);
                    s.log("middle", ch.transferTo(100, 3000, out));
                    s.log("target position", out.position());
                    s.log("tail, count too large", ch.transferTo(SIZE - 10, 100_000, out));
                    s.log("Long.MAX_VALUE", ch.transferTo(0, Long.MAX_VALUE, out));
                    s.log("at the end", ch.transferTo(SIZE, 10, out));
                    s.log("past the end", ch.transferTo(SIZE + 1, 10, out));
                    s.log("nothing", ch.transferTo(10, 0, out));
                    out.position(50_000);
                    s.log("past the target's end", ch.transferTo(0, 500, out));
                    s.log("target position", out.position());
                    s.log("position unchanged", ch.position());
                }),
                Named.of("transferTo an appending channel of its own kind appends", s -> {
                    Files.write(s.path("log"), Bytes.pattern(33, 1000));
                    FileChannel ch = readWrite(s);
                    FileChannel log = s.open("log", APPEND);
                    s.log("small", ch.transferTo(0, 1000, log));
                    s.log("large", ch.transferTo(0, SIZE, log));
                    s.log("size", log.size());
                }),
                Named.of("transferFrom another of its own channels reads from its position, which moves", s -> {
                    Files.write(s.path("src"), Bytes.pattern(34, 20_000));
                    FileChannel ch = readWrite(s);
                    FileChannel in = s.open("src", READ);
                    in.position(1000);
                    s.log("into the middle", ch.transferFrom(in, 1000, 5000));
                    s.log("source position", in.position());
                    s.log("past this file's end", ch.transferFrom(in, 3L * SIZE, 10));
                    s.log("more than the source has", ch.transferFrom(in, 0, 100_000));
                    s.log("source position", in.position());
                    s.log("at the source's end", ch.transferFrom(in, 0, 100));
                    in.position(50_000);
                    s.log("source position past its end", ch.transferFrom(in, 0, 100));
                    in.position(0);
                    s.log("Long.MAX_VALUE", ch.transferFrom(in, 5, Long.MAX_VALUE));
                    s.log("nothing", ch.transferFrom(in, 5, 0));
                    s.log("source position", in.position());
                    s.log("position unchanged", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("transferFrom into an appending channel of its own kind appends", s -> {
                    Files.write(s.path("src"), Bytes.pattern(35, 30_000));
                    FileChannel log = s.open("data", READ, WRITE, APPEND);
                    FileChannel in = s.open("src", READ);
                    s.log("small", log.transferFrom(in, 0, 1000));
                    s.log("large", log.transferFrom(in, 5, 100_000));
                    s.log("source position", in.position());
                    s.log("size", log.size());
                }),
                Named.of("transfers between two of its own channels of more than one piece", s -> {
                    Files.write(s.path("big"), Bytes.pattern(36, 20 << 20));
                    FileChannel big = s.open("big", READ);
                    FileChannel copy = s.open("copy", READ, WRITE, CREATE);
                    s.log("transferTo", big.transferTo(1, Long.MAX_VALUE, copy));
                    s.log("transferFrom", copy.transferFrom(big, 3, Long.MAX_VALUE));
                    big.position(5);
                    s.log("transferFrom from the position", copy.transferFrom(big, 100, 17 << 20));
                    s.log("source position", big.position());
                    s.log("copy position", copy.position());
                }),
                Named.of("transferTo itself, overlapping", s -> {
                    FileChannel ch = readWrite(s);
                    ch.position(10);
                    s.log("forward", ch.transferTo(0, 5000, ch));
                    ch.position(0);
                    s.log("backward", ch.transferTo(10, 5000, ch));
                    s.log("position", ch.position());
                }),
                // Into another file: a pipe holds the file's own pages after a splice (or the JDK's sendfile),
                // and a splice of them back over the same bytes copies a page onto itself (ARCHITECTURE.md).
                Named.of("transfers to and from a FIFO of its own kind", s -> {
                    Fifos.make(s.path("fifo"));
                    FileChannel ch = readWrite(s);
                    FileChannel sink = s.open("sink", READ, WRITE, CREATE);
                    RandomAccessFile bothEnds = new RandomAccessFile(s.path("fifo").toFile(), "rw"); // opens need a peer
                    FileChannel out;
                    FileChannel in;
                    try {
                        out = s.open("fifo", WRITE);
                        in = s.open("fifo", READ);
                        // a FIFO has no position: lseek's ESPIPE, where a fresh file's position is 0 without asking
                        s.attempt("position of the FIFO", in::position);
                        s.attempt("set the FIFO's position", () -> in.position(5));
                        s.attempt("position of the FIFO after", in::position);
                        s.log("transferTo the FIFO", ch.transferTo(100, 100_000, out));
                        s.log("transferTo the FIFO, nothing", ch.transferTo(100, 0, out));
                        s.log("transferFrom the FIFO, what it holds", sink.transferFrom(in, 20_000, SIZE - 100));
                        s.log("transferTo the FIFO past the end", ch.transferTo(SIZE + 1, 10, out));
                        s.log("transferTo the FIFO again", ch.transferTo(0, 3000, out));
                    } finally {
                        bothEnds.close();
                    }
                    out.close();
                    s.log("transferFrom the FIFO to its end", sink.transferFrom(in, 5, 100_000));
                    s.log("transferFrom the FIFO at its end", sink.transferFrom(in, 5, 100_000));
                    s.log("size", sink.size());
                }),
                Named.of("transfers with a file of another file system", s -> {
                    Path shm = Path.of("/dev/shm");
                    Assumptions.assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(
                            Files.getFileStore(s.dir)), "no /dev/shm on a file system of its own");
                    Path other = Files.write(Files.createTempFile(shm, "ringpark-transfer-", ""), Bytes.pattern(37, 30_000));
                    try (FileChannel elsewhere = s.impl.open(other, Set.of(READ, WRITE))) {
                        FileChannel ch = readWrite(s);
                        s.log("transferTo", elsewhere.transferTo(100, 25_000, ch));
                        s.log("position", ch.position());
                        s.log("transferFrom", elsewhere.transferFrom(ch, 40_000, 4000));
                        s.log("position", ch.position());
                        s.log("size elsewhere", elsewhere.size());
                    } finally {
                        Files.delete(other);
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transfers")
    void transfersBehaveLikeTheJdk(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, DATA_FILE, scenario);
    }

    // ---------------------------------------------------------------------------------------------
    // MemorySegment reads and writes, against the same positional ByteBuffer call on the JDK

    enum SegmentKind {
        HEAP {
            @Override
            MemorySegment allocate(Side side, long n) {
                return MemorySegment.ofArray(new byte[Math.toIntExact(n)]);
            }
        },
        CONFINED {
            @Override
            MemorySegment allocate(Side side, long n) {
                return side.arena.allocate(n);
            }
        },
        SHARED {
            @Override
            MemorySegment allocate(Side side, long n) {
                return DifferentialTest.SHARED.allocate(n);
            }
        },
        AUTO {
            @Override
            MemorySegment allocate(Side side, long n) {
                return Arena.ofAuto().allocate(n);
            }
        },
        DIRECT_BUFFER {
            @Override
            MemorySegment allocate(Side side, long n) {
                return MemorySegment.ofBuffer(ByteBuffer.allocateDirect(Math.toIntExact(n)));
            }
        };

        abstract MemorySegment allocate(Side side, long n);

        MemorySegment pattern(Side side, long seed, int n) {
            return allocate(side, n).copyFrom(MemorySegment.ofArray(Bytes.pattern(seed, n)));
        }
    }

    @FunctionalInterface
    interface SegmentScenario {
        void run(Side side, SegmentKind segments) throws Exception;
    }

    static Stream<Named<SegmentScenario>> segmentReadsAndWrites() {
        return Stream.of(
                Named.of("segment reads return what positional ByteBuffer reads return", (s, k) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(42);
                    MemorySegment page = k.allocate(s, 4096);
                    s.log("at 0", s.read(ch, page, 0));
                    s.log("page", Bytes.describe(page));
                    MemorySegment tail = k.allocate(s, 4096);
                    s.log("crossing the end", s.read(ch, tail, SIZE - 10));
                    s.log("tail", Bytes.describe(tail));
                    s.log("at the end", s.read(ch, k.allocate(s, 16), SIZE));
                    s.log("past the end", s.read(ch, k.allocate(s, 16), SIZE + 5000));
                    s.log("empty", s.read(ch, k.allocate(s, 0), 0));
                    s.log("empty past the end", s.read(ch, k.allocate(s, 0), SIZE + 1));
                    MemorySegment big = k.allocate(s, 1 << 20);
                    s.log("large", s.read(ch, big, 0));
                    s.log("big", Bytes.describe(big));
                    s.log("position unchanged", ch.position());
                }),
                Named.of("segment writes do what positional ByteBuffer writes do", (s, k) -> {
                    FileChannel ch = readWrite(s);
                    ch.position(42);
                    s.log("inside", s.write(ch, k.pattern(s, 40, 4096), 100));
                    s.log("crossing the end", s.write(ch, k.pattern(s, 41, 100), SIZE - 50));
                    s.log("past the end", s.write(ch, k.pattern(s, 42, 10), SIZE + 5000));
                    s.log("empty far past the end", s.write(ch, k.allocate(s, 0), 10L * SIZE));
                    s.log("large", s.write(ch, k.pattern(s, 43, 1 << 20), 3));
                    s.log("position unchanged", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("a slice of a segment reads and writes just that slice", (s, k) -> {
                    FileChannel ch = readWrite(s);
                    MemorySegment whole = k.allocate(s, 300);
                    s.log("read into slice", s.read(ch, whole.asSlice(7, 100), 1000));
                    s.log("whole", Bytes.describe(whole));
                    MemorySegment source = k.pattern(s, 44, 300);
                    s.log("write from slice", s.write(ch, source.asSlice(13, 50), 2000));
                }),
                Named.of("segment and ByteBuffer calls mix on one channel", (s, k) -> {
                    FileChannel ch = readWrite(s);
                    s.log("segment write", s.write(ch, k.pattern(s, 45, 500), SIZE));
                    ByteBuffer back = ByteBuffer.allocate(600);
                    s.log("buffer read", ch.read(back, SIZE - 100));
                    s.logBuffer("back", back);
                    s.log("buffer write", ch.write(ByteBuffer.wrap(Bytes.pattern(46, 200)), 20));
                    MemorySegment again = k.allocate(s, 300);
                    s.log("segment read", s.read(ch, again, 0));
                    s.log("again", Bytes.describe(again));
                }));
    }

    static Stream<Arguments> segmentReadsAndWritesWithEverySegmentKind() {
        return segmentReadsAndWrites().flatMap(
                scenario -> Arrays.stream(SegmentKind.values()).map(kind -> Arguments.of(scenario, kind)));
    }

    @ParameterizedTest(name = "{0} ({1} segments)")
    @MethodSource("segmentReadsAndWritesWithEverySegmentKind")
    void segmentReadsAndWritesBehaveLikeByteBufferCallsOnTheJdk(SegmentScenario scenario, SegmentKind segments)
            throws Exception {
        SideBySide.compare(tmp, DATA_FILE, side -> scenario.run(side, segments));
    }

    // ---------------------------------------------------------------------------------------------
    // O_DIRECT

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up reflectively because naming it gives an
     * "internal proprietary API" warning that no annotation suppresses (and the build uses -Werror).
     */
    static final OpenOption DIRECT = extendedOpenOption("DIRECT");

    static OpenOption extendedOpenOption(String name) {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no com.sun.nio.file.ExtendedOpenOption." + name, e);
        }
    }

    static final int BLOCK = 4096;
    static final int DIRECT_SIZE = 4 * BLOCK + 100;
    static final Setup DIRECT_FILE = dir -> Files.write(dir.resolve("data"), Bytes.pattern(50, DIRECT_SIZE));

    /** A directory on a file system that takes O_DIRECT with 4096-byte blocks, or an aborted test. */
    Path directIoRoot() throws IOException {
        return ThisMachine.directIoDirectory(Files.createTempDirectory(tmp, "direct-io"), BLOCK);
    }

    /** A direct buffer of {@code n} bytes whose address is a multiple of the block size. */
    static ByteBuffer aligned(int n) {
        return ByteBuffer.allocateDirect(n + BLOCK).alignedSlice(BLOCK).limit(n).slice();
    }

    /** Ways to break one O_DIRECT alignment rule (or none). */
    enum Misalignment {
        NONE(0, 0, 0), POSITION(1, 0, 0), ADDRESS(0, 1, 0), LENGTH(0, 0, -1), POSITION_BY_512(512, 0, 0);

        final int positionOffset;
        final int addressOffset;
        final int lengthDelta;

        Misalignment(int positionOffset, int addressOffset, int lengthDelta) {
            this.positionOffset = positionOffset;
            this.addressOffset = addressOffset;
            this.lengthDelta = lengthDelta;
        }

        long position() {
            return BLOCK + positionOffset;
        }

        ByteBuffer buffer(long seed) {
            int n = 2 * BLOCK + lengthDelta;
            ByteBuffer buffer = aligned(n + BLOCK).position(addressOffset).limit(addressOffset + n).slice();
            return buffer.put(Bytes.pattern(seed, n)).clear();
        }

        MemorySegment segment(Side side, long seed) {
            int n = 2 * BLOCK + lengthDelta;
            MemorySegment segment = side.arena.allocate(n + BLOCK, BLOCK).asSlice(addressOffset, n);
            return segment.copyFrom(MemorySegment.ofArray(Bytes.pattern(seed, n)));
        }
    }

    /** One O_DIRECT operation on the channel with a buffer broken as the misalignment says. */
    enum DirectOperation {
        POSITIONAL_READ {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                ByteBuffer buffer = m.buffer(0);
                s.log("read", ch.read(buffer, m.position()));
                s.logBuffer("buffer", buffer);
            }
        },
        RELATIVE_READ {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                ch.position(m.position());
                ByteBuffer buffer = m.buffer(0);
                s.log("read", ch.read(buffer));
                s.logBuffer("buffer", buffer);
            }
        },
        SCATTERING_READ {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                ch.position(m.position());
                ByteBuffer[] buffers = {aligned(BLOCK), m.buffer(0)};
                s.log("read", ch.read(buffers));
                logBuffers(s, buffers);
            }
        },
        SEGMENT_READ {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                MemorySegment segment = m.segment(s, 0);
                s.log("read", s.read(ch, segment, m.position()));
                s.log("segment", Bytes.describe(segment));
            }
        },
        POSITIONAL_WRITE {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                s.log("write", ch.write(m.buffer(60), m.position()));
            }
        },
        RELATIVE_WRITE {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                ch.position(m.position());
                s.log("write", ch.write(m.buffer(61)));
            }
        },
        GATHERING_WRITE {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                ch.position(m.position());
                ByteBuffer first = aligned(BLOCK).put(Bytes.pattern(62, BLOCK)).flip();
                s.log("write", ch.write(new ByteBuffer[] {first, m.buffer(63)}));
            }
        },
        SEGMENT_WRITE {
            @Override
            void run(Side s, FileChannel ch, Misalignment m) throws IOException {
                s.log("write", s.write(ch, m.segment(s, 64), m.position()));
            }
        };

        abstract void run(Side side, FileChannel ch, Misalignment misalignment) throws IOException;
    }

    static Stream<Arguments> directOperationsAndMisalignments() {
        return Arrays.stream(DirectOperation.values()).flatMap(
                op -> Arrays.stream(Misalignment.values()).map(m -> Arguments.of(op, m)));
    }

    @ParameterizedTest(name = "O_DIRECT {0} with misalignment {1} behaves like the JDK")
    @MethodSource("directOperationsAndMisalignments")
    void directIoAlignmentRulesMatchTheJdk(DirectOperation operation, Misalignment misalignment) throws Exception {
        Pair outcome = SideBySide.compare(directIoRoot(), DIRECT_FILE, side -> {
            FileChannel ch = side.open("data", Set.of(READ, WRITE, DIRECT));
            operation.run(side, ch, misalignment);
            side.log("position", ch.position());
            side.log("size", ch.size());
        });
        if (misalignment == Misalignment.NONE) {
            assertNull(outcome.jdk().thrown(), "aligned O_DIRECT I/O succeeds on the JDK");
        } else {
            assertNotNull(outcome.jdk().thrownType(), "misaligned O_DIRECT I/O fails on the JDK");
            assertTrue(IOException.class.isAssignableFrom(outcome.jdk().thrownType()));
        }
    }

    /**
     * Every misalignment but one pair: a scattering read or gathering write of a direct buffer at a
     * misaligned address. The JDK's vectored forms check only lengths and leave the address to the
     * kernel ("Invalid argument"); PollerFileChannel checks it before the kernel, as for a single
     * buffer. Both throw an IOException ({@link #directIoAlignmentRulesMatchTheJdk}); the messages
     * will match once the vectored path checks with {@code DirectIoRules.checkBuffers}.
     */
    static Stream<Arguments> misalignedDirectOperations() {
        return directOperationsAndMisalignments().filter(arguments -> {
            DirectOperation operation = (DirectOperation) arguments.get()[0];
            Misalignment misalignment = (Misalignment) arguments.get()[1];
            boolean vectored = operation == DirectOperation.SCATTERING_READ || operation == DirectOperation.GATHERING_WRITE;
            return misalignment != Misalignment.NONE && !(vectored && misalignment == Misalignment.ADDRESS);
        });
    }

    /**
     * The message too, not only the exception's type: a user reads it to find which rule was broken
     * ({@code sun.nio.ch.Util}'s checks in JDK 25: "Channel position (N) ...", "Current position of
     * the bytebuffer (N) ...: alignment offset = K", "Number of remaining bytes (N) ..."). A segment
     * gets what the JDK says for the same memory as a buffer ({@link Side#read}).
     */
    @ParameterizedTest(name = "O_DIRECT {0} with misalignment {1} fails with the JDK's message")
    @MethodSource("misalignedDirectOperations")
    void misalignedDirectIoFailsWithTheJdksMessage(DirectOperation operation, Misalignment misalignment)
            throws Exception {
        Pair outcome = SideBySide.compare(directIoRoot(), DIRECT_FILE, side -> {
            FileChannel ch = side.open("data", Set.of(READ, WRITE, DIRECT));
            try {
                operation.run(side, ch, misalignment);
            } catch (IOException e) {
                side.log("message", e.getMessage());
            }
        });
        assertTrue(outcome.jdk().log().stream().anyMatch(line -> line.startsWith("message=")),
                "the JDK refuses the misaligned transfer: " + outcome.jdk().log());
    }

    static Stream<Named<Scenario>> directIoEdges() {
        return Stream.of(
                Named.of("O_DIRECT reads crossing and past the end are short, then -1", s -> {
                    FileChannel ch = s.open("data", Set.of(READ, DIRECT));
                    ByteBuffer buffer = aligned(2 * BLOCK);
                    s.log("crossing the end", ch.read(buffer, 3 * BLOCK));
                    s.logBuffer("buffer", buffer);
                    s.log("last partial block", ch.read(aligned(BLOCK), 4 * BLOCK));
                    s.log("past the end", ch.read(aligned(BLOCK), 5 * BLOCK));
                    ch.position(3 * BLOCK);
                    s.log("relative 1", ch.read(aligned(BLOCK)));
                    s.log("relative 2", ch.read(aligned(BLOCK)));
                    s.log("position", ch.position());
                    s.log("relative at unaligned end", ch.read(aligned(BLOCK)));
                }),
                Named.of("O_DIRECT relative reads and writes advance the position", s -> {
                    FileChannel ch = s.open("data", Set.of(READ, WRITE, DIRECT));
                    s.log("read", ch.read(aligned(BLOCK)));
                    s.log("write", ch.write(aligned(2 * BLOCK).put(Bytes.pattern(70, 2 * BLOCK)).flip()));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }),
                Named.of("O_DIRECT with heap buffers of whole blocks works", s -> {
                    FileChannel ch = s.open("data", Set.of(READ, WRITE, DIRECT));
                    ByteBuffer heap = ByteBuffer.allocate(BLOCK);
                    s.log("read", ch.read(heap, BLOCK));
                    s.logBuffer("heap", heap);
                    s.log("write", ch.write(ByteBuffer.wrap(Bytes.pattern(71, 2 * BLOCK)), 2 * BLOCK));
                    s.attempt("heap read of a partial block", () -> ch.read(ByteBuffer.allocate(100), 0));
                    s.attempt("heap write of a partial block", () -> ch.write(ByteBuffer.allocate(100), 0));
                }),
                Named.of("O_DIRECT with heap segments of whole blocks works", s -> {
                    FileChannel ch = s.open("data", Set.of(READ, WRITE, DIRECT));
                    MemorySegment heap = MemorySegment.ofArray(new byte[BLOCK]);
                    s.log("read", s.read(ch, heap, BLOCK));
                    s.log("heap", Bytes.describe(heap));
                    s.log("write", s.write(ch, MemorySegment.ofArray(Bytes.pattern(72, BLOCK)), 0));
                }),
                Named.of("O_DIRECT zero-length transfers return 0", s -> {
                    FileChannel ch = s.open("data", Set.of(READ, WRITE, DIRECT));
                    s.attempt("read", () -> ch.read(aligned(0), 0));
                    s.attempt("write", () -> ch.write(aligned(0), 0));
                }),
                Named.of("O_DIRECT with APPEND appends whole blocks", s -> {
                    Files.write(s.path("blocks"), Bytes.pattern(73, 2 * BLOCK));
                    FileChannel ch = s.open("blocks", Set.of(WRITE, APPEND, DIRECT));
                    s.log("write", ch.write(aligned(BLOCK).put(Bytes.pattern(74, BLOCK)).flip()));
                    s.log("position", ch.position());
                    s.log("size", ch.size());
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("directIoEdges")
    void directIoEdgesBehaveLikeTheJdk(Scenario scenario) throws Exception {
        SideBySide.compare(directIoRoot(), DIRECT_FILE, scenario);
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

}
