package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: two identical 2 MiB tmpfs mounts, one filled through the JDK's {@link FileChannel}, the
 * other through {@link RingFileChannel}, with the same writes (heap and direct buffers, native
 * segments, relative and positional) until one fails. RingFileChannel must fail the same way (type and
 * message), after the same number of bytes; keep every byte written before; and stay open and usable
 * for reads and for writes that need no new space.
 *
 * <p>tmpfs answers {@code preadv2(RWF_NOWAIT)} with {@code EOPNOTSUPP} (on the kernels we know), so
 * the reads here also take the path where the page-cache fast path turns itself off.
 *
 * <p>Needs root (to mount); skipped otherwise.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FullDiskTest {

    static final String SIZE = "2m";

    @TempDir
    Path tmp;

    final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void mountTwoSmallFileSystems() throws Exception {
        ThisMachine.assumeOnPath("mount", "util-linux");
        for (String name : List.of("jdk", "ring")) {
            Path dir = Files.createDirectory(tmp.resolve(name));
            String output = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=700", "tmpfs", dir.toString());
            Assumptions.assumeTrue(output == null, () -> "cannot mount a tmpfs (root is needed): " + output);
            mounts.add(dir);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path dir : mounts) {
            if (run("umount", dir.toString()) != null) {
                run("umount", "-l", dir.toString());
            }
        }
    }

    /** Runs a command; {@code null} when it succeeded, else its exit code and output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.toString();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        String output = new String(process.getInputStream().readAllBytes()).strip();
        return process.exitValue() == 0 ? null : String.join(" ", command) + " -> " + process.exitValue() + ": " + output;
    }

    /** How one write hands its bytes over. */
    enum Memory { HEAP_RELATIVE, DIRECT_RELATIVE, HEAP_AT, DIRECT_AT, SEGMENT_AT }

    /** What filling a file system until a write failed left behind. */
    record Fill(long written, byte[] model, IOException failure, int writes) {}

    /**
     * Writes reproducible chunks of 1 B to 96 KiB, each through the next {@link Memory}, at the end of
     * the file until a write throws. A short write counts what it wrote and goes on with the rest.
     */
    static Fill fill(FileChannel ch) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        long written = 0;
        int writes = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; ; i++) {
                int size = random.nextInt(8) == 0 ? random.nextInt(1, 16) : random.nextInt(1, 96 * 1024);
                byte[] chunk = Bytes.pattern(1000 + i, size);
                Memory memory = Memory.values()[i % Memory.values().length];
                int done = 0;
                while (done < size) {
                    int n;
                    try {
                        n = writeOnce(ch, memory, arena, chunk, done, written);
                        writes++;
                    } catch (IOException e) {
                        return new Fill(written, model.toByteArray(), e, writes);
                    }
                    assertTrue(n > 0 && n <= size - done, "a write returned " + n + " of " + (size - done));
                    model.write(chunk, done, n);
                    done += n;
                    written += n;
                }
            }
        }
    }

    static int writeOnce(FileChannel ch, Memory memory, Arena arena, byte[] chunk, int from, long at)
            throws IOException {
        int length = chunk.length - from;
        return switch (memory) {
            case HEAP_RELATIVE -> ch.position(at).write(ByteBuffer.wrap(chunk, from, length));
            case DIRECT_RELATIVE -> ch.position(at).write(ByteBuffer.allocateDirect(length).put(chunk, from, length).flip());
            case HEAP_AT -> ch.write(ByteBuffer.wrap(chunk, from, length), at);
            case DIRECT_AT -> ch.write(ByteBuffer.allocateDirect(length).put(chunk, from, length).flip(), at);
            case SEGMENT_AT -> {
                MemorySegment segment = arena.allocate(length);
                MemorySegment.copy(chunk, from, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, length);
                yield ch instanceof RingFileChannel ring ? ring.write(segment, at) : ch.write(segment.asByteBuffer(), at);
            }
        };
    }

    /** Reads the whole file through the channel, alternating heap and direct buffers and odd chunk sizes. */
    static byte[] readBack(FileChannel ch, long size) throws IOException {
        byte[] all = new byte[Math.toIntExact(size)];
        int at = 0;
        boolean direct = false;
        while (at < size) {
            int want = Math.min(all.length - at, 77_777);
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(want) : ByteBuffer.allocate(want);
            int n = ch.read(buffer, at);
            assertTrue(n > 0, "read at " + at + " of " + size + " returned " + n);
            buffer.flip().get(all, at, n);
            at += n;
            direct = !direct;
        }
        ByteBuffer end = ByteBuffer.allocate(1);
        assertEquals(-1, ch.read(end, size), "a read at the end of the file");
        return all;
    }

    @Test
    void aWriteToAFullDiskFailsAsTheJdksDoesAndKeepsWhatWasWritten() throws Exception {
        Fill jdk;
        try (FileChannel ch = FileChannel.open(mounts.get(0).resolve("fill"), Set.of(CREATE, READ, WRITE))) {
            jdk = fill(ch);
        }
        assertNotNull(jdk.failure(), "the JDK's writes must fail");

        VirtualThreads.call(() -> {
            Path file = mounts.get(1).resolve("fill");
            try (RingFileChannel ch = RingFileChannel.open(file, CREATE, READ, WRITE)) {
                Fill ring = fill(ch);
                assertNotNull(ring.failure(), "RingFileChannel's writes must fail");
                assertAll("the failed write",
                        () -> assertEquals(jdk.failure().getClass(), ring.failure().getClass(), "exception type"),
                        () -> assertEquals(jdk.failure().getMessage(), ring.failure().getMessage(), "message"),
                        () -> assertEquals("No space left on device", ring.failure().getMessage(), "message"),
                        () -> assertEquals(jdk.written(), ring.written(), "bytes written before the disk was full"),
                        () -> assertTrue(ch.isOpen(), "the channel stays open"));

                // Everything written before is there, through the channel and through the JDK.
                assertEquals(ring.written(), ch.size(), "size");
                assertArrayEquals(ring.model(), readBack(ch, ring.written()), "read back through RingFileChannel");
                assertArrayEquals(ring.model(), Files.readAllBytes(file), "read back through the JDK");
                System.out.println("FullDiskTest: " + ring.writes() + " writes, " + ring.written() + " bytes, then "
                        + ring.failure() + "; fast path still on after reading tmpfs: " + fastReads(ch));

                // Relative reads work too.
                ch.position(0);
                ByteBuffer head = ByteBuffer.allocate(4096);
                assertEquals(4096, ch.read(head));
                assertArrayEquals(Arrays.copyOf(ring.model(), 4096), head.array(), "a relative read from 0");
                assertEquals(4096, ch.position());

                // Writes that need no new space (overwriting) succeed, positional and relative.
                byte[] model = ring.model();
                int at = model.length / 3;
                byte[] patch = Bytes.pattern(7, 100_000);
                assertEquals(patch.length, ch.write(ByteBuffer.wrap(patch), at), "an overwrite, positional");
                System.arraycopy(patch, 0, model, at, patch.length);
                byte[] patch2 = Bytes.pattern(8, 12_345);
                ch.position(17);
                assertEquals(patch2.length, ch.write(ByteBuffer.allocateDirect(patch2.length).put(patch2).flip()),
                        "an overwrite, relative");
                System.arraycopy(patch2, 0, model, 17, patch2.length);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment last = arena.allocate(10).fill((byte) 0x5a);
                    assertEquals(10, ch.write(last, model.length - 10), "an overwrite of the last bytes, from a segment");
                    Arrays.fill(model, model.length - 10, model.length, (byte) 0x5a);
                }
                assertArrayEquals(model, readBack(ch, model.length), "after the overwrites");

                // Growing the file still fails the same way, and leaves the file as it was.
                IOException again = null;
                try {
                    ch.write(ByteBuffer.wrap(Bytes.pattern(9, 8192)), model.length);
                } catch (IOException e) {
                    again = e;
                }
                IOException grow = again;
                assertAll("a second write past the end",
                        () -> assertNotNull(grow, "must fail: the disk is still full"),
                        () -> assertEquals(jdk.failure().getClass(), grow == null ? null : grow.getClass()),
                        () -> assertEquals(jdk.failure().getMessage(), grow == null ? null : grow.getMessage()));
                assertEquals(model.length, ch.size(), "size after the failed write");
                assertArrayEquals(model, readBack(ch, model.length), "after the failed write");
                ch.force(true);
                assertTrue(ch.isOpen());
            }
            return null;
        });
    }

    /** Whether the channel still tries {@code preadv2(RWF_NOWAIT)}: {@code false} once tmpfs refused it. */
    static Object fastReads(RingFileChannel ch) {
        try {
            Field field = RingFileChannel.class.getDeclaredField("fastReads");
            field.setAccessible(true);
            return field.get(ch);
        } catch (ReflectiveOperationException e) {
            return "unknown (" + e + ")";
        }
    }

    @Test
    void aChannelClosedAfterTheDiskFilledUpBehavesAsClosed() throws Exception {
        VirtualThreads.call(() -> {
            RingFileChannel ch = RingFileChannel.open(mounts.get(1).resolve("fill"), CREATE, READ, WRITE);
            Fill ring = fill(ch);
            assertNotNull(ring.failure());
            ch.close();
            IOException closed = null;
            try {
                ch.read(ByteBuffer.allocate(10), 0);
            } catch (IOException e) {
                closed = e;
            }
            assertEquals(ClosedChannelException.class, closed == null ? null : closed.getClass());
            assertArrayEquals(ring.model(), Files.readAllBytes(mounts.get(1).resolve("fill")), "the file after close");
            return null;
        });
    }
}
