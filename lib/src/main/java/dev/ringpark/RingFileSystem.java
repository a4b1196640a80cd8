package dev.ringpark;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The platform's default file system seen through {@link RingFileSystemProvider}: the same files, but
 * every {@link Path} it makes is a {@link RingPath}, whose provider is Ringpark's. Everything is
 * passed to the platform's file system; only paths (and what holds them: root directories, watch
 * keys, path matchers' arguments) are wrapped and unwrapped on the way.
 *
 * <p>No lambdas and no string concatenation here: the JDK may make paths through this class early in
 * start-up, before {@code java.lang.invoke} is ready for the bootstrap methods those compile to.
 */
final class RingFileSystem extends FileSystem {
    private final RingFileSystemProvider provider;
    private final FileSystem platform;

    RingFileSystem(RingFileSystemProvider provider, FileSystem platform) {
        this.provider = provider;
        this.platform = platform;
    }

    /** {@code path}, a path of the platform's file system, as a path of this one. */
    RingPath wrap(Path path) {
        return new RingPath(this, path);
    }

    /** {@link #wrap}, or {@code null} for {@code null}. */
    RingPath wrapOrNull(Path path) {
        return path == null ? null : new RingPath(this, path);
    }

    /** The platform's file system, whose paths this one wraps. */
    FileSystem platform() {
        return platform;
    }

    /**
     * {@code path} as the platform's own path, for a call the platform makes: the path a Ringpark path
     * wraps, and any other path as it is (the platform then refuses a path of another provider with
     * the exception it always gives).
     */
    static Path unwrap(Path path) {
        return path instanceof RingPath ring ? ring.platformPath() : path;
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        platform.close(); // the default file system cannot be closed: UnsupportedOperationException
    }

    @Override
    public boolean isOpen() {
        return platform.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return platform.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return platform.getSeparator();
    }

    /** A list, as the platform's is. */
    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        for (Path root : platform.getRootDirectories()) {
            roots.add(wrap(root));
        }
        return List.copyOf(roots);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return platform.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return platform.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return new RingPath(this, platform.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = platform.getPathMatcher(syntaxAndPattern);
        return new PathMatcher() {
            @Override
            public boolean matches(Path path) {
                return matcher.matches(unwrap(path));
            }
        };
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return platform.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return new RingWatchService(this, platform.newWatchService());
    }

    @Override
    public String toString() {
        return platform.toString();
    }

    /** Wraps each path of the platform's that an iterator returns. */
    static final class WrappingIterator implements Iterator<Path> {
        private final RingFileSystem fileSystem;
        private final Iterator<Path> platform;

        WrappingIterator(RingFileSystem fileSystem, Iterator<Path> platform) {
            this.fileSystem = fileSystem;
            this.platform = platform;
        }

        @Override
        public boolean hasNext() {
            return platform.hasNext();
        }

        @Override
        public Path next() {
            return fileSystem.wrap(platform.next());
        }

        @Override
        public void remove() {
            platform.remove();
        }
    }
}
