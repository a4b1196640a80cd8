package dev.ringpark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RingFileSystemProvider} in this JVM, where it is not the default: through
 * {@link RingFileSystemProvider#fileSystem()}, the file system a program can hand around. That every
 * path leads back to it, that channels, streams and secure directory streams are Ringpark's, and
 * that everything else reaches the platform unwrapped. The same with the provider installed as the
 * default is {@code ProviderDifferentialTest}'s.
 */
class RingFileSystemProviderTest {
    static final FileSystem RING = RingFileSystemProvider.fileSystem();

    @TempDir
    Path tmp;

    /** {@code tmp} (a platform path) as a path of Ringpark's file system. */
    Path ring(String first, String... more) {
        return RING.getPath(tmp.toString()).resolve(RING.getPath(first, more));
    }

    static void assertRing(Path path) {
        assertInstanceOf(RingPath.class, path, "a path of Ringpark's file system");
        assertSame(RING, path.getFileSystem());
    }

    @Test
    void theFileSystemIsOneForTheProcessAndItsProviderIsRingparks() {
        assertSame(RING, RingFileSystemProvider.fileSystem());
        assertInstanceOf(RingFileSystemProvider.class, RING.provider());
        assertEquals("file", RING.provider().getScheme());
        assertNotEquals(FileSystems.getDefault(), RING);
        assertThrows(UnsupportedOperationException.class, RING::close);
        assertTrue(RING.isOpen());
        assertEquals("/", RING.getSeparator());
        assertTrue(RING.supportedFileAttributeViews().contains("posix"));
    }

    @Test
    void everyPathAPathMakesIsRingparks() throws Exception {
        Path file = ring("a", "b.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        List<Path> made = new ArrayList<>(List.of(file.getParent(), file.getFileName(), file.getRoot(), file.getName(0),
                file.subpath(0, 2), file.normalize(), file.resolve("c"), file.resolveSibling("d"), file.resolveSibling(RING.getPath("e")),
                file.getParent().relativize(file), file.toAbsolutePath(), file.toRealPath(), file.resolve(Path.of("f")),
                RING.provider().getPath(file.toUri()), RING.getRootDirectories().iterator().next()));
        file.iterator().forEachRemaining(made::add);
        for (Path path : made) {
            assertRing(path);
        }
        assertEquals(file.toString(), Path.of(file.toString()).toString());
        assertEquals(Path.of(file.toString()).toFile(), file.toFile());
        assertEquals(Path.of(file.toString()).toUri(), file.toUri());
    }

    @Test
    void ringparkPathsEqualEachOtherButNotPlatformPaths() {
        Path ringPath = ring("x");
        Path platformPath = tmp.resolve("x");
        assertEquals(ring("x"), ringPath);
        assertEquals(ring("x").hashCode(), ringPath.hashCode());
        assertNotEquals(platformPath, ringPath);
        assertNotEquals(ringPath, platformPath);
        assertEquals(0, ringPath.compareTo(ring("x")));
        assertTrue(ringPath.startsWith(RING.getPath(tmp.toString())));
        assertFalse(ringPath.startsWith(tmp), "a path of another provider never starts one");
        assertTrue(ringPath.endsWith("x"));
        assertTrue(ringPath.startsWith(tmp.toString()));
    }

    @Test
    void aPathMatcherMatchesRingparkPaths() {
        PathMatcher matcher = RING.getPathMatcher("glob:**/*.txt");
        assertTrue(matcher.matches(ring("a", "b.txt")));
        assertFalse(matcher.matches(ring("a", "b.bin")));
    }

    @Test
    void channelsAndStreamsAreRingparks() throws Exception {
        Path file = ring("f");
        long before = ProviderCounters.CHANNELS_OPENED.sum();
        try (OutputStream out = Files.newOutputStream(file)) {
            assertInstanceOf(RingOutputStream.class, out);
            out.write("hello".getBytes(UTF_8));
        }
        try (InputStream in = Files.newInputStream(file)) {
            assertInstanceOf(RingInputStream.class, in);
            assertEquals("hello", new String(in.readAllBytes(), UTF_8));
        }
        try (FileChannel channel = FileChannel.open(file, READ)) {
            assertInstanceOf(RingFileChannel.class, channel);
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            assertInstanceOf(RingFileChannel.class, channel);
        }
        assertEquals("hello", Files.readString(file));
        assertArrayEquals("hello".getBytes(UTF_8), Files.readAllBytes(file));
        assertEquals(List.of("hello"), Files.readAllLines(file));
        try (Stream<String> lines = Files.lines(file)) {
            assertEquals(List.of("hello"), lines.toList());
        }
        assertTrue(ProviderCounters.CHANNELS_OPENED.sum() - before >= 8, "every open went through Ringpark");
    }

    /** The JDK companion behind map and lock opens through the JDK's provider, never back through this one. */
    @Test
    void mapAndLockWorkOnItsChannels() throws Exception {
        Path file = Files.write(ring("f"), new byte[] {1, 2, 3, 4});
        try (FileChannel channel = FileChannel.open(file, READ, java.nio.file.StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4, arena);
            assertEquals(3, mapped.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
            try (FileLock lock = channel.tryLock()) {
                assertTrue(lock.isValid());
            }
        }
    }

    @Test
    void everythingElseReachesThePlatformWithItsPathUnwrapped() throws Exception {
        Path dir = ring("d");
        Files.createDirectory(dir);
        Path file = Files.writeString(dir.resolve("f"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("link"), RING.getPath("f"));
        assertRing(Files.readSymbolicLink(link));
        assertEquals(RING.getPath("f"), Files.readSymbolicLink(link));
        assertTrue(Files.isSameFile(link, file));
        assertFalse(Files.isSameFile(file, Path.of("/")));
        assertEquals(4, Files.size(file));
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("missing")));
        assertTrue(Files.isDirectory(dir));
        assertEquals(4, Files.readAttributes(file, BasicFileAttributes.class).size());
        assertEquals(4L, Files.getAttribute(file, "size"));
        assertFalse(Files.isHidden(file));
        assertEquals(Files.getFileStore(tmp).name(), Files.getFileStore(file).name());
        Files.copy(file, dir.resolve("g"));
        Files.move(dir.resolve("g"), dir.resolve("h"));
        Files.createLink(dir.resolve("i"), dir.resolve("h"));
        Files.delete(dir.resolve("i"));
        assertTrue(Files.deleteIfExists(dir.resolve("h")));
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = walk.toList();
            paths.forEach(RingFileSystemProviderTest::assertRing);
            assertEquals(3, paths.size());
        }
        Path temp = Files.createTempFile(dir, "t", ".tmp");
        assertRing(temp);
        try (var async = java.nio.channels.AsynchronousFileChannel.open(file, READ)) {
            assertEquals(4, async.read(ByteBuffer.allocate(4), 0).get());
        }
    }

    @Test
    void aPathOfAnotherProviderIsRefused() throws Exception {
        try (FileSystem zip = FileSystems.newFileSystem(tmp.resolve("z.zip"), java.util.Map.of("create", "true"))) {
            Path foreign = zip.getPath("/x");
            assertThrows(ProviderMismatchException.class, () -> RING.provider().newFileChannel(foreign, Set.of(READ)));
            assertThrows(ProviderMismatchException.class, () -> ring("a").resolve(foreign));
            assertThrows(NullPointerException.class, () -> RING.provider().newInputStream(null));
        }
    }

    @Test
    void aDirectoryStreamAndItsFilterSeeRingparkPaths() throws Exception {
        Path dir = Files.createDirectory(ring("d"));
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("b.bin"), "b");
        List<Path> seenByFilter = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, entry -> {
            seenByFilter.add(entry);
            return entry.toString().endsWith(".txt");
        })) {
            List<Path> entries = new ArrayList<>();
            stream.forEach(entries::add);
            assertEquals(List.of(dir.resolve("a.txt")), entries);
        }
        assertEquals(2, seenByFilter.size());
        seenByFilter.forEach(RingFileSystemProviderTest::assertRing);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.bin")) {
            assertEquals(List.of(dir.resolve("b.bin")), iterate(stream));
        }
    }

    static List<Path> iterate(DirectoryStream<Path> stream) {
        List<Path> entries = new ArrayList<>();
        stream.forEach(entries::add);
        entries.forEach(RingFileSystemProviderTest::assertRing);
        return entries;
    }

    /**
     * As Helidon's static-content handler serves a file: a secure directory stream per path
     * component, not following links, then {@code newByteChannel} of the file name and
     * {@code Channels.newInputStream(channel).transferTo(out)}.
     */
    @Test
    void aSecureDirectoryStreamOpensFilesThroughRingpark() throws Exception {
        Path root = Files.createDirectory(ring("www"));
        Files.createDirectory(root.resolve("css"));
        byte[] content = Bytes.pattern(3, 50_000);
        Files.write(root.resolve("css").resolve("site.css"), content);
        long before = ProviderCounters.CHANNELS_OPENED.sum();
        try (DirectoryStream<Path> directory = Files.newDirectoryStream(root)) {
            assertInstanceOf(SecureDirectoryStream.class, directory);
            SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) directory;
            try (SecureDirectoryStream<Path> css = secure.newDirectoryStream(RING.getPath("css"), LinkOption.NOFOLLOW_LINKS);
                 SeekableByteChannel channel = css.newByteChannel(RING.getPath("site.css"), Set.of(READ, LinkOption.NOFOLLOW_LINKS))) {
                assertInstanceOf(RingFileChannel.class, channel, "opened through Ringpark, from the directory's descriptor");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertEquals(content.length, Channels.newInputStream(channel).transferTo(out));
                assertArrayEquals(content, out.toByteArray());
                assertEquals(List.of(root.resolve("css").resolve("site.css")), iterate(css));
            }
        }
        assertEquals(1, ProviderCounters.CHANNELS_OPENED.sum() - before);
    }

    /**
     * The directory moved away and another put in its place after the stream opened it: the JDK's
     * stream opens files of the directory it has open, and so must Ringpark's anchor.
     */
    @Test
    void aSecureDirectoryStreamKeepsToItsDirectoryWhenThePathIsReplaced() throws Exception {
        for (boolean anchoredBeforeTheSwap : new boolean[] {true, false}) {
            Path dir = Files.createDirectories(ring("swap-" + anchoredBeforeTheSwap, "d"));
            Files.writeString(dir.resolve("f"), "original");
            Files.writeString(dir.resolve("g"), "original g");
            try (SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) Files.newDirectoryStream(dir)) {
                if (anchoredBeforeTheSwap) {
                    try (SeekableByteChannel channel = secure.newByteChannel(RING.getPath("g"), Set.of(READ))) {
                        assertInstanceOf(RingFileChannel.class, channel);
                    }
                }
                Files.move(dir, dir.resolveSibling("moved"));
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("f"), "impostor");
                try (SeekableByteChannel channel = secure.newByteChannel(RING.getPath("f"), Set.of(READ))) {
                    assertEquals("original", new String(Channels.newInputStream(channel).readAllBytes(), UTF_8));
                    assertEquals(anchoredBeforeTheSwap, channel instanceof RingFileChannel,
                            "an anchor opened after the swap names another directory: the JDK's stream opens it");
                }
            }
        }
    }

    @Test
    void aSecureDirectoryStreamReportsFailuresAsTheJdksDoes() throws Exception {
        Path dir = Files.createDirectory(ring("d"));
        Files.writeString(dir.resolve("present"), "x");
        SecureDirectoryStream<Path> ring = (SecureDirectoryStream<Path>) Files.newDirectoryStream(dir);
        try (SecureDirectoryStream<Path> jdk = (SecureDirectoryStream<Path>) Files.newDirectoryStream(tmp.resolve("d"))) {
            ring.newByteChannel(RING.getPath("present"), Set.of(READ)).close();
            for (String name : List.of("missing", "", "present/below", "../d/missing")) {
                Exception expected = assertThrows(Exception.class, () -> jdk.newByteChannel(Path.of(name), Set.of(READ)));
                Exception actual = assertThrows(Exception.class, () -> ring.newByteChannel(RING.getPath(name), Set.of(READ)));
                assertEquals(expected.getClass(), actual.getClass(), name);
                assertEquals(expected.getMessage(), actual.getMessage(), name);
            }
            Exception expected = assertThrows(Exception.class, () -> jdk.newByteChannel(Path.of("x"), Set.of(READ),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(Set.of())));
            assertInstanceOf(NoSuchFileException.class, expected);
            assertThrows(UnsupportedOperationException.class, () -> ring.newByteChannel(RING.getPath("x"), Set.of(READ),
                    new java.nio.file.attribute.FileAttribute<String>() {
                        public String name() {
                            return "dos:hidden";
                        }

                        public String value() {
                            return "true";
                        }
                    }));
            // an absolute path ignores the directory, as openat does
            try (SeekableByteChannel channel = ring.newByteChannel(dir.resolve("present").toAbsolutePath(), Set.of(READ))) {
                assertInstanceOf(RingFileChannel.class, channel);
            }
            ring.deleteFile(RING.getPath("present"));
            assertFalse(Files.exists(dir.resolve("present")));
            ring.close();
            assertThrows(ClosedDirectoryStreamException.class, () -> ring.newByteChannel(RING.getPath("present"), Set.of(READ)));
        }
    }

    @Test
    void aWatchServiceGivesBackTheKeyItRegisteredWithRingparkPaths() throws Exception {
        Path dir = Files.createDirectory(ring("watched"));
        try (WatchService watcher = RING.newWatchService()) {
            WatchKey registered = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            assertSame(dir, registered.watchable());
            Files.writeString(dir.resolve("new"), "x");
            WatchKey signalled = watcher.poll(10, TimeUnit.SECONDS);
            assertSame(registered, signalled);
            List<WatchEvent<?>> events = signalled.pollEvents();
            assertEquals(StandardWatchEventKinds.ENTRY_CREATE, events.getFirst().kind());
            Path context = (Path) events.getFirst().context();
            assertRing(context);
            assertEquals(RING.getPath("new"), context);
            assertTrue(signalled.reset());
            signalled.cancel();
            assertFalse(signalled.isValid());
        }
    }

    @Test
    void theKillSwitchHandsOutThePlatformsOwnFileSystem() {
        String previous = System.getProperty(RingFileSystemProvider.PROVIDER_PROP_NAME);
        System.setProperty(RingFileSystemProvider.PROVIDER_PROP_NAME, "off");
        try {
            RingFileSystemProvider off = new RingFileSystemProvider(FileSystems.getDefault().provider());
            FileSystem fileSystem = off.getFileSystem(java.net.URI.create("file:///"));
            assertSame(FileSystems.getDefault(), fileSystem);
            assertFalse(off.getPath(java.net.URI.create("file:///tmp")) instanceof RingPath);
        } finally {
            if (previous == null) {
                System.clearProperty(RingFileSystemProvider.PROVIDER_PROP_NAME);
            } else {
                System.setProperty(RingFileSystemProvider.PROVIDER_PROP_NAME, previous);
            }
        }
        assertTrue(RingFileSystemProvider.switchedOn(null));
        assertTrue(RingFileSystemProvider.switchedOn("on"));
        assertTrue(RingFileSystemProvider.switchedOn("TRUE"));
        assertFalse(RingFileSystemProvider.switchedOn("off"));
        assertFalse(RingFileSystemProvider.switchedOn("false"));
        assertFalse(RingFileSystemProvider.switchedOn("no"));
    }

    @Test
    void onlyAProviderOfFilesCanBeWrapped() throws Exception {
        try (FileSystem zip = FileSystems.newFileSystem(tmp.resolve("z.zip"), java.util.Map.of("create", "true"))) {
            assertThrows(IllegalArgumentException.class, () -> new RingFileSystemProvider(zip.provider()));
        }
    }
}
