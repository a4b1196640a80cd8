package dev.ringpark;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;

/**
 * The JDK's own file system, for what the library asks of the operating system's files beside its
 * own channels: attributes, access checks, deletion.
 */
final class PlatformFileSystem {
    private static final URI ROOT = URI.create("file:///");

    private PlatformFileSystem() {
    }

    /** The JDK's provider for the default file system. */
    static FileSystemProvider provider() {
        return FileSystems.getDefault().provider();
    }

    /** The JDK's default file system. */
    static FileSystem fileSystem() {
        return provider().getFileSystem(ROOT);
    }

    /** {@code name} as a path of the JDK's default file system. */
    static Path path(String name) {
        return fileSystem().getPath(name);
    }
}
