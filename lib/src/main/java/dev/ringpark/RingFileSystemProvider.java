package dev.ringpark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The JDK's default file system with Ringpark's channels and streams: every file that
 * {@link java.nio.file.Files}, {@link FileChannel#open FileChannel.open} or a library built on them
 * opens for reading or writing is a {@link RingFileChannel}, whose blocking calls park the calling
 * virtual thread instead of pinning its carrier. Everything else is the JDK's.
 *
 * <h2>Installing it</h2>
 * <pre>
 * java -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ringpark.RingFileSystemProvider \
 *      --enable-native-access=ALL-UNNAMED -cp app.jar:ringpark.jar:ringpark-poller.jar app.Main
 * </pre>
 * The JDK then constructs this provider around its own ({@link #RingFileSystemProvider(FileSystemProvider)})
 * the first time anything asks for the default file system, and every {@link Path} made afterwards
 * ({@code Path.of}, {@code Paths.get}, {@code File.toPath}, directory listings, {@code resolve},
 * {@code toRealPath}, watch events, {@code Path.of(URI)}) belongs to it. Without the property,
 * {@link #fileSystem()} gives the same file system to hand around explicitly.
 *
 * <h2>What goes through Ringpark</h2>
 * {@link #newFileChannel}, {@link #newByteChannel}, {@link #newInputStream}, {@link #newOutputStream}
 * and {@link SecureDirectoryStream#newByteChannel} of the directory streams it returns give Ringpark
 * channels and streams (the streams are not closed by an interrupt of the thread using them, as the
 * JDK's are not). Everything else (directory listing, attributes, {@code copy}, {@code move},
 * links, deletion, the watch service, file stores, {@link #newAsynchronousFileChannel}) is passed to
 * the JDK's provider unchanged and runs as it would without this one, on the caller's thread.
 *
 * <h2>The kill switch</h2>
 * {@value #PROVIDER_PROP_NAME}{@code =off} (any value but {@code on} and {@code true}, in fact) makes it
 * a pure pass-through: the default file system is then the JDK's own object, paths are the JDK's,
 * and nothing of Ringpark runs. The property is read when the provider is constructed, so it belongs
 * on the command line.
 *
 * <h2>Start-up</h2>
 * The JDK loads this class with the system class loader while it makes its default file system,
 * early in the life of the JVM and maybe before {@code main}. Constructing it touches nothing that
 * needs the default file system, logging or Ringpark's poller; the poller starts when the first
 * channel opens. A second copy of Ringpark in another class loader finds the default file system
 * already Ringpark's ({@link #fileSystem()} returns it) and does not wrap it again.
 */
public final class RingFileSystemProvider extends FileSystemProvider {
    /** The system property that turns the provider into a pure pass-through: {@code ringpark.provider=off}. */
    public static final String PROVIDER_PROP_NAME = "ringpark.provider";

    private static final URI ROOT = URI.create("file:///");

    private final FileSystemProvider platform;
    private final FileSystem platformFileSystem;
    /** Ringpark's file system, or {@code null} when the kill switch is thrown. */
    private final RingFileSystem fileSystem;

    /**
     * Wraps {@code platform}, as the JDK does when it installs this provider as the default; a program
     * that wants the file system without the property calls {@link #fileSystem()} instead.
     *
     * @param platform the provider of the {@code file} scheme this one passes calls to: the JDK's own
     * @throws IllegalArgumentException when {@code platform} is not a provider of the {@code file} scheme
     */
    public RingFileSystemProvider(FileSystemProvider platform) {
        // Runs early in start-up: no logging, no lambdas, nothing that asks for the default file system.
        this.platform = Objects.requireNonNull(platform, "platform");
        if (!"file".equals(platform.getScheme())) {
            throw new IllegalArgumentException("RingFileSystemProvider wraps a provider of the file scheme only");
        }
        PlatformFileSystem.record(platform);
        this.platformFileSystem = platform.getFileSystem(ROOT);
        this.fileSystem = switchedOn(System.getProperty(PROVIDER_PROP_NAME)) ? new RingFileSystem(this, platformFileSystem)
                : null;
    }

    /**
     * The default file system with Ringpark's channels and streams, to hand to code that takes a
     * {@link FileSystem} or to make paths from ({@code fileSystem().getPath("data", "index")}).
     *
     * <p>When this provider is installed as the default (by this copy of Ringpark or by another in
     * another class loader), that is {@link FileSystems#getDefault()}. Otherwise it is one file system
     * for the whole process, wrapping the default provider; {@code java.nio.file.Files} used with its
     * paths goes through Ringpark as described above. With the kill switch thrown it is the default
     * file system itself.
     *
     * @return the file system; never closed ({@link FileSystem#close()} throws, as the default's does)
     */
    public static FileSystem fileSystem() {
        FileSystem defaultFileSystem = FileSystems.getDefault();
        if (isRingpark(defaultFileSystem.provider())) {
            return defaultFileSystem;
        }
        return Wrapped.FILE_SYSTEM;
    }

    /** Whether {@code provider} is this class, loaded by any class loader. */
    private static boolean isRingpark(FileSystemProvider provider) {
        return provider.getClass().getName().equals(RingFileSystemProvider.class.getName());
    }

    /** The process-wide wrapping of the default file system, made on first use of {@link #fileSystem()}. */
    private static final class Wrapped {
        static final FileSystem FILE_SYSTEM =
                new RingFileSystemProvider(FileSystems.getDefault().provider()).getFileSystem(ROOT);
    }

    /** Whether the provider is on for {@value #PROVIDER_PROP_NAME} {@code value}: unset, {@code on} or {@code true}. */
    static boolean switchedOn(String value) {
        return value == null || value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true");
    }

    /** The provider this one passes calls to. */
    FileSystemProvider platform() {
        return platform;
    }

    /**
     * {@code path} as the platform provider's own path: the path a Ringpark path wraps, or a path of the
     * platform's file system as it is.
     *
     * @throws NullPointerException      when {@code path} is {@code null}
     * @throws ProviderMismatchException when {@code path} belongs to another provider
     */
    Path platformPath(Path path) {
        if (path instanceof RingPath ring) {
            return ring.platformPath();
        }
        if (path.getFileSystem() == platformFileSystem) {
            return path;
        }
        throw new ProviderMismatchException();
    }

    // ---------------------------------------------------------------- file systems and paths

    @Override
    public String getScheme() {
        return platform.getScheme();
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        return platform.newFileSystem(uri, env); // the default file system exists: FileSystemAlreadyExistsException
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        FileSystem checked = platform.getFileSystem(uri); // the JDK's checks of the URI and their exceptions
        return fileSystem == null ? checked : fileSystem;
    }

    @Override
    public Path getPath(URI uri) {
        Path path = platform.getPath(uri);
        return fileSystem == null ? path : fileSystem.wrap(path);
    }

    /**
     * The platform's answer, which is {@link UnsupportedOperationException} for every path: from it
     * {@code FileSystems.newFileSystem(Path)} moves on to the installed providers, so a path of
     * another file system (a jar inside a zip file system) must get it too, not a
     * {@code ProviderMismatchException}.
     */
    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        return platform.newFileSystem(RingFileSystem.unwrap(path), env);
    }

    // ---------------------------------------------------------------- through Ringpark

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        if (fileSystem == null) {
            return platform.newInputStream(path, options);
        }
        InputStream stream = RingFiles.newInputStreamOn(platformPath(path), options);
        ProviderCounters.opened();
        return stream;
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        if (fileSystem == null) {
            return platform.newOutputStream(path, options);
        }
        OutputStream stream = RingFiles.newOutputStreamOn(platformPath(path), options);
        ProviderCounters.opened();
        return stream;
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        if (fileSystem == null) {
            return platform.newFileChannel(path, options, attrs);
        }
        FileChannel channel = RingFileChannel.openWithJdkOptions(platformPath(path), options, attrs);
        ProviderCounters.opened();
        return channel;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A Ringpark channel, as {@link #newFileChannel} gives. With no options at all it is not closed
     * by an interrupt of the thread using it: that is how {@code Files.readAllBytes} and
     * {@code Files.readString} open their file, and the JDK makes their channel uninterruptible. (The
     * JDK's channel for a plain {@code Files.newByteChannel(path)} is interruptible; telling the two
     * apart would take a stack walk on every such open.)
     */
    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        if (fileSystem == null) {
            return platform.newByteChannel(path, options, attrs);
        }
        Path file = platformPath(path);
        SeekableByteChannel channel = options.isEmpty() ? RingFileChannel.openUninterruptible(file, options, attrs)
                : RingFileChannel.openWithJdkOptions(file, options, attrs);
        ProviderCounters.opened();
        return channel;
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        if (fileSystem == null) {
            return platform.newDirectoryStream(dir, filter);
        }
        Path platformDir = platformPath(dir);
        DirectoryStream<Path> stream = platform.newDirectoryStream(platformDir, RingDirectoryStream.filter(fileSystem,
                Objects.requireNonNull(filter)));
        return stream instanceof SecureDirectoryStream<Path> secure
                ? new RingSecureDirectoryStream(fileSystem, secure, platformDir)
                : new RingDirectoryStream(fileSystem, stream);
    }

    // ---------------------------------------------------------------- passed to the platform

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                              ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        return platform.newAsynchronousFileChannel(platformPath(path), options, executor, attrs);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        platform.createDirectory(platformPath(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        platform.createSymbolicLink(platformPath(link), platformPath(target), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        platform.createLink(platformPath(link), platformPath(existing));
    }

    @Override
    public void delete(Path path) throws IOException {
        platform.delete(platformPath(path));
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return platform.deleteIfExists(platformPath(path));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        Path target = platform.readSymbolicLink(platformPath(link));
        return fileSystem == null ? target : fileSystem.wrap(target);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        platform.copy(platformPath(source), platformPath(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        platform.move(platformPath(source), platformPath(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        // The JDK's answers false, without an exception, for a second path of another provider.
        Path second = path2 instanceof RingPath ring ? ring.platformPath() : path2;
        return platform.isSameFile(platformPath(path), second);
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return platform.isHidden(platformPath(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return platform.getFileStore(platformPath(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        platform.checkAccess(platformPath(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return platform.getFileAttributeView(platformPath(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return platform.readAttributes(platformPath(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return platform.readAttributes(platformPath(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        platform.setAttribute(platformPath(path), attribute, value, options);
    }

    @Override
    public boolean exists(Path path, LinkOption... options) {
        return platform.exists(platformPath(path), options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return platform.readAttributesIfExists(platformPath(path), type, options);
    }

    @Override
    public String toString() {
        return "RingFileSystemProvider[" + platform + (fileSystem == null ? ", off]" : "]");
    }
}
