package dev.ringpark;

import dev.ringpark.poller.Errno;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Turns {@code -errno} results into the exceptions the JDK throws for the same errors. */
final class IoExceptions {
    private IoExceptions() {
    }

    /** For a call on a path (open, unlink): the {@code java.nio.file} exception the JDK would throw. */
    static FileSystemException forPath(int errno, Path file) {
        String name = file.toString();
        return switch (errno) {
            case Errno.EACCES -> new AccessDeniedException(name);
            case Errno.ENOENT -> new NoSuchFileException(name);
            case Errno.EEXIST -> new FileAlreadyExistsException(name);
            default -> new FileSystemException(name, null, Errno.message(errno));
        };
    }

    /** For a transfer or another call on an open descriptor: an {@link IOException} with the C text. */
    static IOException forChannel(int errno) {
        return new IOException(Errno.message(errno));
    }
}
