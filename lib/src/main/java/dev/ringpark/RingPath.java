package dev.ringpark;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path of {@link RingFileSystem}: a path of the platform's file system whose
 * {@link #getFileSystem()} leads to Ringpark's provider. Every path it returns is wrapped again;
 * every path it is given is unwrapped first (a path of the platform's own file system is taken as it
 * is; one of another provider gets the platform's {@code ProviderMismatchException}).
 *
 * <p>Equality, order and hash are the wrapped path's; a Ringpark path never equals a platform path,
 * as paths of two providers never do. No lambdas and no string concatenation: paths are made early
 * in start-up.
 */
final class RingPath implements Path {
    private final RingFileSystem fileSystem;
    private final Path platform;

    RingPath(RingFileSystem fileSystem, Path platform) {
        this.fileSystem = fileSystem;
        this.platform = platform;
    }

    /** The platform's path that this one wraps. */
    Path platformPath() {
        return platform;
    }

    private Path wrap(Path path) {
        return fileSystem.wrapOrNull(path);
    }

    @Override
    public FileSystem getFileSystem() {
        return fileSystem;
    }

    @Override
    public boolean isAbsolute() {
        return platform.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(platform.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(platform.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(platform.getParent());
    }

    @Override
    public int getNameCount() {
        return platform.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(platform.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(platform.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        // As the JDK's: false, not an exception, for a path of another provider.
        return Objects.requireNonNull(other) instanceof RingPath ring && platform.startsWith(ring.platform);
    }

    @Override
    public boolean startsWith(String other) {
        return platform.startsWith(other);
    }

    @Override
    public boolean endsWith(Path other) {
        return Objects.requireNonNull(other) instanceof RingPath ring && platform.endsWith(ring.platform);
    }

    @Override
    public boolean endsWith(String other) {
        return platform.endsWith(other);
    }

    @Override
    public Path normalize() {
        return wrap(platform.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(platform.resolve(RingFileSystem.unwrap(other)));
    }

    @Override
    public Path resolve(String other) {
        return wrap(platform.resolve(other));
    }

    @Override
    public Path resolveSibling(Path other) {
        return wrap(platform.resolveSibling(RingFileSystem.unwrap(other)));
    }

    @Override
    public Path resolveSibling(String other) {
        return wrap(platform.resolveSibling(other));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(platform.relativize(RingFileSystem.unwrap(other)));
    }

    @Override
    public URI toUri() {
        return platform.toUri();
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(platform.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return wrap(platform.toRealPath(options));
    }

    /** A path of the operating system's files, whether or not this file system is the default. */
    @Override
    public File toFile() {
        return new File(platform.toString());
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        if (watcher instanceof RingWatchService ring) {
            return ring.register(this, events, modifiers);
        }
        return platform.register(watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return platform.compareTo(RingFileSystem.unwrap(other));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RingPath ring && platform.equals(ring.platform);
    }

    @Override
    public int hashCode() {
        return platform.hashCode();
    }

    @Override
    public String toString() {
        return platform.toString();
    }
}
