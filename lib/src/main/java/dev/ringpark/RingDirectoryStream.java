package dev.ringpark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The platform's directory stream, whose entries (and the paths its filter sees) are Ringpark paths.
 * {@link RingSecureDirectoryStream} adds the operations relative to the open directory.
 */
class RingDirectoryStream implements DirectoryStream<Path> {
    final RingFileSystem fileSystem;
    private final DirectoryStream<Path> platform;

    RingDirectoryStream(RingFileSystem fileSystem, DirectoryStream<Path> platform) {
        this.fileSystem = fileSystem;
        this.platform = platform;
    }

    /** {@code filter} as a filter of the platform's entries: it sees each as a Ringpark path. */
    static DirectoryStream.Filter<Path> filter(RingFileSystem fileSystem, DirectoryStream.Filter<? super Path> filter) {
        return new DirectoryStream.Filter<>() {
            @Override
            public boolean accept(Path entry) throws IOException {
                return filter.accept(fileSystem.wrap(entry));
            }
        };
    }

    @Override
    public Iterator<Path> iterator() {
        return new RingFileSystem.WrappingIterator(fileSystem, platform.iterator());
    }

    @Override
    public void close() throws IOException {
        platform.close();
    }
}
