package dev.ringpark;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Scanner;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Child JVM of {@code ProviderDifferentialTest}: runs scenarios of {@code java.nio.file.Files},
 * {@code FileChannel.open} and the rest of {@code java.nio.file}, each in a directory of its own
 * under {@code args[0]} and on a virtual thread, and prints one line per scenario, {@code name: what
 * it observed}, with that directory written {@code $DIR}. The test runs it with and without
 * {@link RingFileSystemProvider} as the default and compares the lines. Lines that start with
 * {@code !} say what is expected to differ (which provider, which channel class, Ringpark's counters).
 */
public final class ProviderScenarios {
    /** One scenario: its steps, in a directory of its own; what it returns (or throws) is printed. */
    @FunctionalInterface
    interface Scenario {
        Object run(Path dir) throws Exception;
    }

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
    private static final byte[] DATA = Bytes.pattern(5, 200_000);
    private static final List<String> NOTES = new ArrayList<>();

    private ProviderScenarios() {
    }

    static void scenario(String name, Scenario scenario) {
        SCENARIOS.put(name, scenario);
    }

    /** Something that may differ between the runs and is checked on its own: printed with a {@code !}. */
    static void note(String note) {
        synchronized (NOTES) {
            NOTES.add(note);
        }
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        boolean interrupts = Boolean.getBoolean("scenarios.interrupts");
        if (Boolean.getBoolean("scenarios.fileNamesOnly")) {
            defineFileNames();
        } else {
            define();
        }
        if (interrupts) {
            defineInterrupts();
        }
        note("FILE_NAME_ENCODING=" + System.getProperty("sun.jnu.encoding"));
        note("DEFAULT_PROVIDER=" + FileSystems.getDefault().provider().getClass().getName());
        note("PATH_CLASS=" + Path.of("x").getClass().getName());
        int index = 0;
        for (Map.Entry<String, Scenario> entry : SCENARIOS.entrySet()) {
            Path dir = Files.createDirectories(base.resolve("s" + index++));
            String outcome;
            try {
                outcome = String.valueOf(VirtualThreads.call(() -> entry.getValue().run(dir)));
            } catch (Throwable t) {
                outcome = "threw " + described(t);
            }
            System.out.println(entry.getKey() + ": " + outcome.replace(base.toString(), "$DIR").replace("\n", "\\n"));
        }
        for (String note : NOTES) {
            System.out.println("!" + note);
        }
        System.out.println("!CHANNELS_OPENED=" + ProviderCounters.CHANNELS_OPENED.sum());
        System.out.println("!POLLER_RUNNING=" + Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("ringpark-poller")));
    }

    static String described(Throwable t) {
        String text = t.getClass().getName();
        if (t instanceof FileSystemException fse) {
            text += " file=" + fse.getFile() + " other=" + fse.getOtherFile() + " reason=" + fse.getReason();
        } else {
            text += " message=" + t.getMessage();
        }
        return t.getCause() == null || t.getCause() == t ? text : text + " cause " + described(t.getCause());
    }

    static String bytes(byte[] bytes) {
        return Bytes.describe(bytes);
    }

    /** Runs {@code step}, giving its result or what it threw, so that one scenario can show several. */
    static Object attempt(Scenario step, Path dir) {
        try {
            return step.run(dir);
        } catch (Throwable t) {
            return "threw " + described(t);
        }
    }

    private static void define() {
        defineFileNames();
        // ------------------------------------------------------------ whole files
        scenario("readAllBytes", dir -> bytes(Files.readAllBytes(Files.write(dir.resolve("f"), DATA))));
        scenario("readAllBytes of an empty file", dir -> bytes(Files.readAllBytes(Files.write(dir.resolve("f"), new byte[0]))));
        scenario("readAllBytes of /proc", dir -> new String(Files.readAllBytes(Path.of("/proc/sys/kernel/ostype")), US_ASCII));
        scenario("readAllBytes of a missing file", dir -> Files.readAllBytes(dir.resolve("missing")));
        scenario("readAllBytes of a directory", dir -> Files.readAllBytes(dir));
        scenario("readAllBytes of a sparse 3 GiB file", dir -> {
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve("huge").toFile(), "rw")) {
                file.setLength(3L << 30);
            }
            try {
                return Files.readAllBytes(dir.resolve("huge")).length;
            } finally {
                Files.delete(dir.resolve("huge"));
            }
        });
        scenario("readString", dir -> Files.readString(Files.writeString(dir.resolve("f"), "grüße \uD83D\uDE00")));
        scenario("readString of malformed UTF-8", dir -> Files.readString(Files.write(dir.resolve("f"),
                new byte[] {'a', (byte) 0xe2, (byte) 0x82, 'b'})));
        scenario("readString in UTF-16", dir -> Files.readString(Files.write(dir.resolve("f"), "ü".getBytes(UTF_16)), UTF_16));
        scenario("writeString of a lone surrogate", dir -> Files.writeString(dir.resolve("f"), "a\uD800"));
        scenario("writeString in ISO-8859-1 of the euro sign", dir -> Files.writeString(dir.resolve("f"), "€", ISO_8859_1));
        scenario("writeString then readAllBytes", dir -> bytes(Files.readAllBytes(
                Files.writeString(dir.resolve("f"), "café", ISO_8859_1, CREATE_NEW, WRITE, SYNC))));
        scenario("readAllLines", dir -> Files.readAllLines(Files.write(dir.resolve("f"), "a\nb\r\nc\rd".getBytes(UTF_8))));
        scenario("readAllLines of malformed input", dir -> Files.readAllLines(Files.write(dir.resolve("f"),
                new byte[] {'a', '\n', (byte) 0xff}), UTF_8));
        scenario("lines, in order and in parallel", dir -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                text.append("line ").append(i).append(i % 3 == 0 ? "\r\n" : "\n");
            }
            Path file = Files.writeString(dir.resolve("f"), text);
            try (Stream<String> sequential = Files.lines(file); Stream<String> parallel = Files.lines(file).parallel()) {
                return List.of(sequential.toList().hashCode(), parallel.toList().hashCode());
            }
        });
        scenario("lines in UTF-16", dir -> {
            try (Stream<String> lines = Files.lines(Files.write(dir.resolve("f"), "a\nb".getBytes(UTF_16)), UTF_16)) {
                return lines.toList();
            }
        });
        scenario("lines of /proc", dir -> {
            try (Stream<String> lines = Files.lines(Path.of("/proc/sys/kernel/ostype"))) {
                return lines.toList();
            }
        });
        scenario("write, append, create new", dir -> {
            Path file = dir.resolve("f");
            Files.write(file, DATA);
            Files.write(file, "tail".getBytes(US_ASCII), APPEND);
            return List.of(bytes(Files.readAllBytes(file)), attempt(d -> Files.write(file, DATA, CREATE_NEW), dir),
                    attempt(d -> Files.write(file, DATA, READ, WRITE), dir));
        });
        scenario("write lines", dir -> bytes(Files.readAllBytes(Files.write(dir.resolve("f"), List.of("x", "ü"), ISO_8859_1))));
        scenario("newBufferedWriter and newBufferedReader", dir -> {
            Path file = dir.resolve("f");
            try (BufferedWriter writer = Files.newBufferedWriter(file)) {
                writer.write("one\ntwo");
            }
            try (BufferedReader reader = Files.newBufferedReader(file)) {
                return reader.lines().toList();
            }
        });
        scenario("a Scanner of a path", dir -> {
            try (Scanner scanner = new Scanner(Files.writeString(dir.resolve("f"), "first line\nsecond"))) {
                return scanner.nextLine();
            }
        });

        // ------------------------------------------------------------ streams
        scenario("an input stream, every call", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            List<Object> log = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                note("INPUT_STREAM_CLASS=" + in.getClass().getName());
                log.add(in.read());
                log.add(in.read(new byte[7], 1, 5));
                log.add(in.available());
                log.add(in.skip(100_000));
                log.add(in.skip(-50));
                log.add(bytes(in.readNBytes(20)));
                log.add(in.transferTo(OutputStream.nullOutputStream()));
                log.add(in.skip(10));
                log.add(in.read());
                log.add(bytes(in.readAllBytes()));
            }
            return log;
        });
        scenario("an input stream transfers to an output stream of a file", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(dir.resolve("g"))) {
                in.skip(1000);
                return List.of(in.transferTo(out), in.read());
            } finally {
                note("COPY=" + bytes(Files.readAllBytes(dir.resolve("g"))).hashCode());
            }
        });
        scenario("an input stream with WRITE", dir -> Files.newInputStream(Files.write(dir.resolve("f"), DATA), WRITE));
        scenario("an input stream with DELETE_ON_CLOSE", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (InputStream in = Files.newInputStream(file, DELETE_ON_CLOSE)) {
                return bytes(in.readNBytes(10));
            } finally {
                note("DELETED=" + !Files.exists(file));
            }
        });
        scenario("an output stream, every call", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            OutputStream out = Files.newOutputStream(file, WRITE);
            out.write('x');
            out.write("abc".getBytes(US_ASCII), 1, 2);
            out.close();
            return List.of(bytes(Files.readAllBytes(file)), attempt(d -> {
                out.write(1);
                return "written";
            }, dir), attempt(d -> Files.newOutputStream(file, APPEND, TRUNCATE_EXISTING), dir),
                    attempt(d -> Files.newOutputStream(file, READ), dir));
        });
        scenario("copy stream to path, path to stream, path to path", dir -> {
            Path file = dir.resolve("f");
            long toPath = Files.copy(new ByteArrayInputStream(DATA), file);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long toStream = Files.copy(file, out);
            Files.copy(file, dir.resolve("g"), StandardCopyOption.COPY_ATTRIBUTES);
            return List.of(toPath, toStream, bytes(out.toByteArray()), bytes(Files.readAllBytes(dir.resolve("g"))),
                    attempt(d -> Files.copy(new ByteArrayInputStream(DATA), file), dir));
        });
        scenario("mismatch", dir -> Files.mismatch(Files.write(dir.resolve("f"), DATA),
                Files.write(dir.resolve("g"), Arrays.copyOf(DATA, 150_000))));

        // ------------------------------------------------------------ channels
        scenario("FileChannel.open read, write, position, size, truncate, force", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (FileChannel channel = FileChannel.open(file, READ, WRITE)) {
                note("FILE_CHANNEL_CLASS=" + channel.getClass().getName());
                ByteBuffer buffer = ByteBuffer.allocate(100);
                List<Object> log = new ArrayList<>();
                log.add(channel.read(buffer));
                log.add(channel.position());
                log.add(channel.write(ByteBuffer.wrap("hello".getBytes(US_ASCII)), 150_000));
                log.add(channel.truncate(1000).size());
                channel.force(true);
                log.add(channel.position(2000).read(buffer.clear()));
                return log;
            }
        });
        scenario("FileChannel.open of options refused", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            return List.of(attempt(d -> FileChannel.open(file, READ, APPEND), dir),
                    attempt(d -> FileChannel.open(file, WRITE, CREATE_NEW), dir),
                    attempt(d -> FileChannel.open(dir.resolve("missing"), READ), dir),
                    attempt(d -> FileChannel.open(dir, WRITE), dir),
                    attempt(d -> FileChannel.open(file, Set.of(READ), PosixFilePermissions.asFileAttribute(Set.of()),
                            new java.nio.file.attribute.FileAttribute<Object>() {
                                public String name() {
                                    return "dos:hidden";
                                }

                                public Object value() {
                                    return true;
                                }
                            }), dir));
        });
        scenario("newByteChannel, created with permissions", dir -> {
            Path file = dir.resolve("f");
            try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(WRITE, CREATE_NEW),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")))) {
                channel.write(ByteBuffer.wrap(DATA));
                return List.of(channel.position(), channel.size(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        });
        scenario("map with an arena and a mapped buffer, lock and tryLock", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (FileChannel channel = FileChannel.open(file, READ, WRITE); Arena arena = Arena.ofConfined()) {
                byte segmentByte = channel.map(FileChannel.MapMode.READ_ONLY, 100, 1000, arena).get(ValueLayout.JAVA_BYTE, 5);
                MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 10);
                buffer.put(0, (byte) 42);
                buffer.force();
                List<Object> log = new ArrayList<>(List.of(segmentByte, buffer.get(0)));
                try (FileLock lock = channel.lock(0, 10, false)) {
                    log.add(lock.isShared());
                }
                try (FileLock lock = channel.tryLock(0, 10, true)) {
                    log.add(lock.isShared());
                }
                log.add(attempt(d -> FileChannel.open(file, READ).map(FileChannel.MapMode.READ_WRITE, 0, 10), dir));
                return log;
            }
        });
        scenario("transferTo and transferFrom between files", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (FileChannel in = FileChannel.open(file); FileChannel out = FileChannel.open(dir.resolve("g"), WRITE, CREATE)) {
                long to = in.transferTo(10, 100_000, out);
                long from = out.transferFrom(in, 100_000, 5000);
                return List.of(to, from, bytes(Files.readAllBytes(dir.resolve("g"))));
            }
        });
        scenario("AsynchronousFileChannel", dir -> {
            try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(Files.write(dir.resolve("f"), DATA))) {
                return channel.read(ByteBuffer.allocate(100), 50).get();
            }
        });

        // ------------------------------------------------------------ directories, links, attributes
        scenario("walk, list, find, a directory stream with a glob", dir -> {
            Files.createDirectories(dir.resolve("a/b"));
            Files.write(dir.resolve("a/b/x.txt"), DATA);
            Files.write(dir.resolve("a/y.bin"), DATA);
            try (Stream<Path> walk = Files.walk(dir); Stream<Path> list = Files.list(dir.resolve("a"));
                 Stream<Path> found = Files.find(dir, 5, (p, attributes) -> attributes.isRegularFile());
                 DirectoryStream<Path> glob = Files.newDirectoryStream(dir.resolve("a"), "*.bin")) {
                List<String> globbed = new ArrayList<>();
                glob.forEach(p -> globbed.add(p.toString()));
                return List.of(walk.map(Path::toString).sorted().toList(), list.map(Path::toString).sorted().toList(),
                        found.map(p -> dir.relativize(p).toString()).sorted().toList(), globbed);
            }
        });
        scenario("a secure directory stream serves a file as Helidon does", dir -> {
            Files.createDirectories(dir.resolve("www/css"));
            Files.write(dir.resolve("www/css/site.css"), DATA);
            try (DirectoryStream<Path> root = Files.newDirectoryStream(dir.resolve("www"))) {
                SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) root;
                try (SecureDirectoryStream<Path> css = secure.newDirectoryStream(Path.of("css"), LinkOption.NOFOLLOW_LINKS);
                     SeekableByteChannel channel = css.newByteChannel(Path.of("site.css"), Set.of(READ, LinkOption.NOFOLLOW_LINKS))) {
                    note("SECURE_CHANNEL_CLASS=" + channel.getClass().getName());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    long n = Channels.newInputStream(channel).transferTo(out);
                    return List.of(n, bytes(out.toByteArray()),
                            attempt(d -> css.newByteChannel(Path.of("missing"), Set.of(READ)), dir));
                }
            }
        });
        scenario("a zip inside a zip, through FileSystems.newFileSystem", dir -> {
            Path outer = dir.resolve("outer.zip");
            try (FileSystem zip = FileSystems.newFileSystem(outer, Map.of("create", "true"));
                 FileSystem inner = FileSystems.newFileSystem(zip.getPath("/inner.zip"), Map.of("create", "true"))) {
                Files.writeString(inner.getPath("/x.txt"), "x");
            }
            try (FileSystem zip = FileSystems.newFileSystem(outer);
                 FileSystem inner = FileSystems.newFileSystem(zip.getPath("/inner.zip"))) {
                return List.of(Files.readString(inner.getPath("/x.txt")),
                        attempt(d -> FileSystems.getDefault().provider().newFileSystem(zip.getPath("/inner.zip"),
                                Map.of()), dir));
            }
        });
        scenario("links, real paths, same files", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
            Files.createLink(dir.resolve("hard"), file);
            return List.of(Files.readSymbolicLink(link), link.toRealPath(), Files.isSameFile(link, file),
                    Files.isSameFile(dir.resolve("hard"), file), Files.isSymbolicLink(link),
                    attempt(d -> Files.readSymbolicLink(file), dir), Files.size(link));
        });
        scenario("attributes", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            return List.of(Files.getLastModifiedTime(file), Files.size(file), Files.isRegularFile(file),
                    Files.isDirectory(dir), Files.exists(dir.resolve("missing")), Files.notExists(dir.resolve("missing")),
                    Files.isReadable(file), Files.isHidden(file), Files.readAttributes(file, "size,isDirectory"),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), Files.getAttribute(file, "unix:nlink"),
                    attempt(d -> Files.size(dir.resolve("missing")), dir));
        });
        scenario("move, delete, create directories", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            Files.createDirectories(dir.resolve("x/y/z"));
            Path moved = Files.move(file, dir.resolve("x/y/moved"));
            return List.of(moved, Files.exists(file), attempt(d -> {
                        Files.delete(dir.resolve("x"));
                        return "deleted";
                    }, dir),
                    Files.deleteIfExists(moved), Files.deleteIfExists(moved), attempt(d -> Files.createDirectory(dir.resolve("x")), dir));
        });
        scenario("temporary files", dir -> {
            Path file = Files.createTempFile(dir, "t", ".tmp");
            Path directory = Files.createTempDirectory(dir, "d");
            return List.of(file.getParent(), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)), Files.size(file));
        });
        scenario("a watch service", dir -> {
            try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
                WatchKey key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
                Files.write(dir.resolve("new"), DATA);
                Files.delete(dir.resolve("new"));
                WatchKey signalled = watcher.poll(10, TimeUnit.SECONDS);
                List<String> events = new ArrayList<>();
                Thread.sleep(100); // let the deletion arrive
                signalled.pollEvents().forEach(event -> events.add(event.kind() + " " + event.context()));
                return List.of(signalled == key, signalled.watchable().equals(dir), events);
            }
        });

        // ------------------------------------------------------------ paths
        scenario("paths from everywhere", dir -> {
            Path fromString = Path.of(dir.toString(), "a", "b");
            return List.of(fromString.equals(Paths.get(dir.toString(), "a/b")),
                    fromString.equals(new File(dir.toFile(), "a/b").toPath()),
                    fromString.equals(Path.of(fromString.toUri())), fromString.equals(dir.resolve("a/b")),
                    dir.relativize(fromString), fromString.getFileSystem() == FileSystems.getDefault(),
                    fromString.toFile().getPath(), FileSystems.getDefault().getPathMatcher("glob:**/b").matches(fromString),
                    fromString.compareTo(dir.resolve("a/c")) < 0, FileSystems.getDefault().getRootDirectories(),
                    Path.of("x").toAbsolutePath().isAbsolute());
        });
        scenario("a zip file system on a path", dir -> {
            Path zip = dir.resolve("z.zip");
            try (FileSystem zipFileSystem = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
                Files.write(zipFileSystem.getPath("/inside"), DATA);
            }
            try (FileSystem zipFileSystem = FileSystems.newFileSystem(zip)) {
                return bytes(Files.readAllBytes(zipFileSystem.getPath("/inside")));
            }
        });
        scenario("the jrt file system", dir -> {
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            return Files.readAllBytes(jrt.getPath("/modules/java.base/java/lang/Object.class")).length > 0;
        });
        scenario("an HTTP body publisher of a file", dir -> {
            // java.net.http by reflection: the test sources are compiled into dev.ringpark, which does not read it
            Object publisher = Class.forName("java.net.http.HttpRequest$BodyPublishers").getMethod("ofFile", Path.class)
                    .invoke(null, Files.write(dir.resolve("f"), DATA));
            return Class.forName("java.net.http.HttpRequest$BodyPublisher").getMethod("contentLength").invoke(publisher);
        });
        scenario("a Unix-domain socket address of a path (the JDK refuses other file systems')", dir -> {
            Object outcome = attempt(d -> UnixDomainSocketAddress.of(dir.resolve("socket")).getPath(), dir);
            note("UNIX_DOMAIN_SOCKET=" + String.valueOf(outcome).replace(dir.toString(), "$DIR").replaceAll("message=.*", ""));
            return "see the note";
        });
        scenario("a second copy of Ringpark in another class loader", dir -> {
            URL[] classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(entry -> entry.contains("target"))
                    .map(entry -> {
                        try {
                            return new File(entry).toURI().toURL();
                        } catch (java.net.MalformedURLException e) {
                            throw new IllegalArgumentException(e);
                        }
                    }).toArray(URL[]::new);
            try (URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
                Class<?> provider = loader.loadClass(RingFileSystemProvider.class.getName());
                FileSystem fileSystem = (FileSystem) provider.getMethod("fileSystem").invoke(null);
                note("SECOND_COPY_USES_THE_DEFAULT=" + (fileSystem == FileSystems.getDefault()));
                Class<?> files = loader.loadClass(RingFiles.class.getName());
                Method readAllBytes = files.getMethod("readAllBytes", Path.class);
                Path file = Files.write(dir.resolve("f"), DATA);
                Class<?> channels = loader.loadClass(RingFileChannel.class.getName());
                try (FileChannel channel = (FileChannel) channels.getMethod("open", Path.class, OpenOption[].class)
                        .invoke(null, file, new OpenOption[] {READ}); Arena arena = Arena.ofConfined()) {
                    return List.of(bytes((byte[]) readAllBytes.invoke(null, file)),
                            channel.map(FileChannel.MapMode.READ_ONLY, 0, 10, arena).get(ValueLayout.JAVA_BYTE, 3));
                }
            }
        });
    }

    /**
     * Paths whose system-call bytes are not their string in UTF-8: the empty path, which the JDK opens
     * as the current directory, and names made by the shell from bytes that the encoding of file
     * names may not decode ({@code sun.jnu.encoding}; ASCII under the POSIX locale), reached through
     * a directory listing as a program reaches them.
     */
    private static void defineFileNames() {
        scenario("the empty path opens the current directory", dir -> List.of(
                attempt(d -> Files.newByteChannel(Path.of(""), WRITE, CREATE_NEW), dir),
                attempt(d -> {
                    try (FileChannel channel = FileChannel.open(Path.of(""))) {
                        return channel.isOpen();
                    }
                }, dir),
                attempt(d -> Files.readAllBytes(Path.of("")), dir),
                attempt(d -> {
                    try (InputStream in = Files.newInputStream(Path.of(""))) {
                        return in.read();
                    }
                }, dir),
                attempt(d -> Files.newOutputStream(Path.of("")), dir)));
        scenario("names the encoding of file names may not decode", dir -> {
            // One name in no encoding (byte 0xFF), one in UTF-8 (which ASCII cannot decode).
            Process shell = new ProcessBuilder("sh", "-c",
                    "printf ab > \"$(printf 'bad\\377')\"; printf abc > \"$(printf 'caf\\303\\251')\"")
                    .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (shell.waitFor() != 0) {
                return "the shell failed";
            }
            List<Object> seen = new ArrayList<>();
            try (Stream<Path> listing = Files.list(dir);
                 DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
                for (Path file : listing.sorted().toList()) {
                    Path fromWorkingDirectory = Path.of("").toAbsolutePath().relativize(file);
                    seen.add(List.of(dir.relativize(file), bytes(Files.readAllBytes(file)),
                            bytes(Files.readAllBytes(fromWorkingDirectory)),
                            attempt(d -> {
                                try (FileChannel channel = FileChannel.open(file)) {
                                    return channel.size();
                                }
                            }, dir),
                            attempt(d -> {
                                try (SeekableByteChannel channel = secure.newByteChannel(file.getFileName(), Set.of(READ))) {
                                    return channel.size();
                                }
                            }, dir)));
                }
            }
            return seen;
        });
    }

    /** What an interrupted thread sees: streams and readAllBytes are not closed by it, channels are. */
    private static void defineInterrupts() {
        scenario("readAllBytes by an interrupted thread", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            Thread.currentThread().interrupt();
            byte[] read = Files.readAllBytes(file);
            return List.of(bytes(read), Thread.interrupted());
        });
        scenario("readString by an interrupted thread", dir -> {
            Path file = Files.writeString(dir.resolve("f"), "text");
            Thread.currentThread().interrupt();
            return List.of(Files.readString(file), Thread.interrupted());
        });
        scenario("an input stream read by an interrupted thread", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            try (InputStream in = Files.newInputStream(file)) {
                in.read();
                Thread.currentThread().interrupt();
                byte[] rest = in.readAllBytes();
                return List.of(bytes(rest), Thread.interrupted());
            }
        });
        scenario("an output stream written by an interrupted thread", dir -> {
            Path file = dir.resolve("f");
            try (OutputStream out = Files.newOutputStream(file)) {
                Thread.currentThread().interrupt();
                out.write(DATA);
            }
            return List.of(Thread.interrupted(), bytes(Files.readAllBytes(file)));
        });
        scenario("a channel read by an interrupted thread", dir -> {
            Path file = Files.write(dir.resolve("f"), DATA);
            FileChannel channel = FileChannel.open(file);
            Thread.currentThread().interrupt();
            Object outcome = attempt(d -> channel.read(ByteBuffer.allocate(10)), dir);
            return List.of(outcome, Thread.interrupted(), channel.isOpen());
        });
    }
}
