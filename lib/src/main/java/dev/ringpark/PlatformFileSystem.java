package dev.ringpark;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;

/**
 * The JDK's own file system, reached without passing through Ringpark's provider: what the library's
 * own opens of {@code /proc/self/fd/N} go through. Were they to go through the default provider, and
 * were that provider Ringpark's, each such open would come back to Ringpark and recurse.
 *
 * <p>The JDK hands its own provider to the first default provider it constructs, so a
 * {@link RingFileSystemProvider} built around a provider of {@code java.base} records it here. Without
 * one (Ringpark's provider not installed) the default file system's provider is the JDK's, unwrapped
 * if it is one of ours. Another copy of Ringpark in another class loader, installed as the default
 * while this copy is not, cannot be seen through: its opens then go through that copy, which reaches
 * the JDK by the same rule in its own loader, so nothing recurses.
 */
final class PlatformFileSystem {
    private static final URI ROOT = URI.create("file:///");
    /** The JDK's provider, once a {@link RingFileSystemProvider} has been built around it. */
    private static volatile FileSystemProvider recorded;

    private PlatformFileSystem() {
    }

    /** Remembers {@code provider} if it is the JDK's own; called from a provider's constructor, maybe during start-up. */
    static void record(FileSystemProvider provider) {
        if (recorded == null && isJdks(provider)) {
            recorded = provider;
        }
    }

    /** Whether {@code provider} is the JDK's own (a class of {@code java.base}), not a wrapper. */
    static boolean isJdks(FileSystemProvider provider) {
        return provider.getClass().getModule() == Object.class.getModule();
    }

    /** The JDK's provider for the default file system, never Ringpark's. */
    static FileSystemProvider provider() {
        FileSystemProvider known = recorded;
        if (known != null) {
            return known;
        }
        FileSystemProvider provider = FileSystems.getDefault().provider();
        while (provider instanceof RingFileSystemProvider ring) {
            provider = ring.platform();
        }
        return provider;
    }

    /** The JDK's default file system, never Ringpark's. */
    static FileSystem fileSystem() {
        return provider().getFileSystem(ROOT);
    }

    /** {@code name} as a path of the JDK's default file system. */
    static Path path(String name) {
        return fileSystem().getPath(name);
    }
}
