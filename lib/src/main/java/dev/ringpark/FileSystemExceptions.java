package dev.ringpark;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** Rewrites {@link FileSystemException}s as the JDK would have thrown them for the same error on another path. */
final class FileSystemExceptions {
    private FileSystemExceptions() {
    }

    /** An exception of {@code failure}'s type and reason, naming {@code file}; other subclasses are returned as they are. */
    static FileSystemException naming(FileSystemException failure, String file) {
        String other = failure.getOtherFile();
        String reason = failure.getReason();
        return switch (failure) {
            case NoSuchFileException e -> new NoSuchFileException(file, other, reason);
            case AccessDeniedException e -> new AccessDeniedException(file, other, reason);
            case FileAlreadyExistsException e -> new FileAlreadyExistsException(file, other, reason);
            case DirectoryNotEmptyException e -> new DirectoryNotEmptyException(file);
            case NotDirectoryException e -> new NotDirectoryException(file);
            case NotLinkException e -> new NotLinkException(file, other, reason);
            case FileSystemLoopException e -> new FileSystemLoopException(file);
            default -> failure.getClass() == FileSystemException.class ? new FileSystemException(file, other, reason)
                    : failure;
        };
    }
}
