package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Runs one scenario against the JDK's {@link FileChannel} and against {@link RingFileChannel}, each in
 * its own directory holding identical files, and compares what can be observed: the values the
 * scenario logged, the exception that ended it (type, and {@link FileSystemException#getFile()}
 * relative to the directory), the position and size of the channels it left open, and the files
 * (kind, permissions, bytes) after every channel is closed.
 */
final class SideBySide {

    /** The two implementations under comparison. */
    enum Impl {
        JDK {
            @Override
            FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
                return FileChannel.open(path, options, attrs);
            }
        },
        RING {
            @Override
            FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
                return RingFileChannel.open(path, options, attrs);
            }
        };

        abstract FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException;

        /** The {@code open(Path, OpenOption...)} overload. */
        FileChannel openWithArray(Path path, OpenOption... options) throws IOException {
            return this == JDK ? FileChannel.open(path, options) : RingFileChannel.open(path, options);
        }
    }

    /** Creates the starting files in one side's (empty) directory. */
    @FunctionalInterface
    interface Setup {
        void prepare(Path dir) throws Exception;
    }

    /** The steps compared; what they log, and the exception that ends them, is compared. */
    @FunctionalInterface
    interface Scenario {
        void run(Side side) throws Exception;
    }

    /** What a scenario observed on one side. */
    record Outcome(List<String> log, Class<? extends Throwable> thrownType, String thrown,
                   List<String> channelsAfter, Map<String, String> filesBefore, Map<String, String> filesAfter) {

        /** Everything that must match between the JDK and Ringpark (not the files before: those match by construction). */
        List<Object> observable() {
            return List.of(log, String.valueOf(thrown), channelsAfter, filesAfter);
        }
    }

    /** Both sides' outcomes, already checked equal. */
    record Pair(Outcome jdk, Outcome ring) {}

    /** One side: its directory, the channels it opened, its arena and a log. */
    static final class Side implements AutoCloseable {
        final Impl impl;
        final Path dir;
        final List<String> log = new ArrayList<>();
        final List<FileChannel> channels = new ArrayList<>();
        final Arena arena = Arena.ofConfined();

        Side(Impl impl, Path dir) {
            this.impl = impl;
            this.dir = dir;
        }

        Path path(String name) {
            return dir.resolve(name);
        }

        FileChannel open(String name, OpenOption... options) throws IOException {
            return open(name, Set.of(options));
        }

        FileChannel open(String name, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
            FileChannel ch = impl.open(path(name), options, attrs);
            channels.add(ch);
            return ch;
        }

        /** Opens one more file with the JDK (read, write, create), say as the other end of a transfer. */
        FileChannel jdkPeer(String name) throws IOException {
            FileChannel ch = FileChannel.open(path(name), StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE);
            channels.add(ch);
            return ch;
        }

        /** Logs a value under a label. */
        void log(String label, Object value) {
            log.add(label + "=" + value);
        }

        /** Logs the result of a step, or the type of the exception it threw, and goes on. */
        void attempt(String label, Callable<?> step) {
            try {
                log(label, step.call());
            } catch (Exception e) {
                log(label, "threw " + describe(e, dir));
            }
        }

        /** Logs a buffer's position, limit and the bytes from 0 to its limit. */
        void logBuffer(String label, ByteBuffer buffer) {
            log(label, Bytes.describe(buffer));
        }

        /** RingFileChannel's MemorySegment read, or the equivalent ByteBuffer read on the JDK. */
        int read(FileChannel ch, MemorySegment dst, long position) throws IOException {
            return ch instanceof RingFileChannel ring ? ring.read(dst, position) : ch.read(dst.asByteBuffer(), position);
        }

        /** RingFileChannel's MemorySegment write, or the equivalent ByteBuffer write on the JDK. */
        int write(FileChannel ch, MemorySegment src, long position) throws IOException {
            return ch instanceof RingFileChannel ring ? ring.write(src, position) : ch.write(src.asByteBuffer(), position);
        }

        @Override
        public void close() {
            for (FileChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the comparison of files afterwards shows what matters
                }
            }
            arena.close();
        }
    }

    private SideBySide() {}

    /**
     * Prepares twin directories under {@code root}, runs the scenario on each side in a virtual thread,
     * and asserts that both sides observed the same thing. Returns both outcomes for further checks.
     */
    static Pair compare(Path root, Setup setup, Scenario scenario) throws Exception {
        Outcome jdk = runOn(Impl.JDK, root, setup, scenario);
        Outcome ring = runOn(Impl.RING, root, setup, scenario);
        print(jdk, ring);
        assertEquals(jdk.filesBefore(), ring.filesBefore(), "the setup must give both sides the same files");
        assertEquals(jdk.observable(), ring.observable(), "RingFileChannel must behave like FileChannel");
        return new Pair(jdk, ring);
    }

    /** Like {@link #compare} but on the calling thread rather than a virtual thread. */
    static Pair compareOnThisThread(Path root, Setup setup, Scenario scenario) throws Exception {
        Outcome jdk = runHere(Impl.JDK, root, setup, scenario);
        Outcome ring = runHere(Impl.RING, root, setup, scenario);
        print(jdk, ring);
        assertEquals(jdk.filesBefore(), ring.filesBefore(), "the setup must give both sides the same files");
        assertEquals(jdk.observable(), ring.observable(), "RingFileChannel must behave like FileChannel");
        return new Pair(jdk, ring);
    }

    /** With {@code -Dringpark.test.print=true}, shows both outcomes (to see what the JDK does). */
    private static void print(Outcome jdk, Outcome ring) {
        if (Boolean.getBoolean("ringpark.test.print")) {
            System.out.println("JDK:  " + jdk.observable());
            System.out.println("RING: " + ring.observable());
        }
    }

    static Outcome runOn(Impl impl, Path root, Setup setup, Scenario scenario) throws Exception {
        return VirtualThreads.call(() -> runHere(impl, root, setup, scenario));
    }

    static Outcome runHere(Impl impl, Path root, Setup setup, Scenario scenario) throws Exception {
        Path dir = Files.createDirectories(root.resolve(impl.name().toLowerCase()));
        setup.prepare(dir);
        Map<String, String> before = snapshot(dir);
        Class<? extends Throwable> thrownType = null;
        String thrown = null;
        List<String> channelsAfter = new ArrayList<>();
        List<String> log;
        try (Side side = new Side(impl, dir)) {
            log = side.log;
            try {
                scenario.run(side);
            } catch (Exception | Error e) {
                if (e instanceof AssertionError) {
                    throw e;
                }
                thrownType = e.getClass();
                thrown = describe(e, dir);
            }
            for (FileChannel ch : side.channels) {
                channelsAfter.add(ch.isOpen() ? "open position=" + attempt(ch::position) + " size=" + attempt(ch::size)
                                              : "closed");
            }
        }
        return new Outcome(log, thrownType, thrown, channelsAfter, before, snapshot(dir));
    }

    private static String attempt(Callable<?> step) {
        try {
            return String.valueOf(step.call());
        } catch (Exception e) {
            return "threw " + e.getClass().getName();
        }
    }

    /** The exception's type and, for a FileSystemException, its files relative to the side's directory. */
    static String describe(Throwable e, Path dir) {
        if (e instanceof FileSystemException fse) {
            return e.getClass().getName() + " file=" + relative(fse.getFile(), dir) + " other=" + relative(fse.getOtherFile(), dir);
        }
        return e.getClass().getName();
    }

    private static String relative(String file, Path dir) {
        if (file == null) {
            return null;
        }
        String prefix = dir.toString();
        return file.startsWith(prefix) ? "$DIR" + file.substring(prefix.length()) : file;
    }

    /** Every entry of a directory, by name: its kind, permissions and contents. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                files.put(p.getFileName().toString(), describeFile(p));
            }
        }
        return files;
    }

    static String describeFile(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "symlink -> " + Files.readSymbolicLink(p).getFileName();
        }
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "directory " + perms;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "other " + perms;
        }
        return "file " + perms + " " + Bytes.describe(Files.readAllBytes(p));
    }
}
