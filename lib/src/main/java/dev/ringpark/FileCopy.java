package dev.ringpark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.spi.FileSystemProvider;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link RingFiles#copy(Path, Path, CopyOption...)}: the JDK's copy of a regular file
 * ({@code sun.nio.fs.UnixFileSystem.copy} and {@code copyFile}), step for step, with the bytes moved
 * by Ringpark channels. The JDK's order: the options, the source's attributes, read access to it,
 * the target's attributes (same file: nothing to do; exists: refuse, or delete it for
 * {@code REPLACE_EXISTING}), create the target {@code O_EXCL} with the source's permissions, copy to
 * the end of the source (which may be past the size it had, and is for {@code /proc} files), and
 * delete the target if anything failed. Everything else is the JDK's own copy.
 */
final class FileCopy {
    private static final LinkOption[] FOLLOW = new LinkOption[0];
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** The attributes that decide the copy: type and permission bits, and identity. */
    private static final String ATTRIBUTES = "unix:mode,dev,ino";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    /** Set-user-ID, set-group-ID, sticky: bits a {@code posix:permissions} attribute cannot carry. */
    private static final int SPECIAL_BITS = 07000;
    private static final int TAIL_BUFFER_BYTES = 16384;

    private FileCopy() {
    }

    /** Copies {@code source} to {@code target}, both paths of the platform's file system. */
    static void copy(Path source, Path target, CopyOption... options) throws IOException {
        FileSystemProvider platform = PlatformFileSystem.provider();
        boolean replaceExisting = false;
        boolean followLinks = true;
        for (CopyOption option : options) {
            if (option == StandardCopyOption.REPLACE_EXISTING) {
                replaceExisting = true;
            } else if (option == LinkOption.NOFOLLOW_LINKS) {
                followLinks = false;
            } else {
                platform.copy(source, target, options); // attributes to copy, or an option it refuses
                return;
            }
        }
        Map<String, Object> sourceAttributes;
        try {
            sourceAttributes = platform.readAttributes(source, ATTRIBUTES, followLinks ? FOLLOW : NOFOLLOW);
        } catch (IOException e) {
            platform.copy(source, target, options); // fails as the JDK's copy reports it
            return;
        }
        int mode = (Integer) sourceAttributes.get("mode");
        if ((mode & S_IFMT) != S_IFREG || (mode & SPECIAL_BITS) != 0) {
            platform.copy(source, target, options);
            return;
        }
        platform.checkAccess(source, AccessMode.READ);
        Map<String, Object> targetAttributes = null;
        try {
            targetAttributes = platform.readAttributes(target, ATTRIBUTES, NOFOLLOW);
        } catch (IOException absent) {
            // nothing there (or nothing the JDK could look at): it copies all the same
        }
        if (targetAttributes != null) {
            if (Objects.equals(sourceAttributes.get("dev"), targetAttributes.get("dev"))
                    && Objects.equals(sourceAttributes.get("ino"), targetAttributes.get("ino"))) {
                return;
            }
            if (!replaceExisting) {
                throw new FileAlreadyExistsException(target.toString());
            }
            try {
                platform.delete(target);
            } catch (NoSuchFileException gone) {
                // deleted meanwhile: as the JDK, go on
            }
        }
        copyRegularFile(source, target, mode, replaceExisting);
    }

    private static void copyRegularFile(Path source, Path target, int mode, boolean replaceExisting)
            throws IOException {
        FileChannel in = RingFileChannel.openUninterruptible(source, Set.of(StandardOpenOption.READ));
        try {
            FileChannel out;
            try {
                out = RingFileChannel.openUninterruptible(target, Set.of(StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW), PosixFilePermissions.asFileAttribute(permissions(mode)));
            } catch (FileAlreadyExistsException e) {
                if (replaceExisting) {
                    throw new FileSystemException(target.toString()); // created again since it was deleted
                }
                throw e;
            }
            boolean complete = false;
            try {
                copyBytes(in, out, source, target);
                complete = true;
            } finally {
                closeQuietly(out);
                if (!complete) {
                    try {
                        PlatformFileSystem.provider().delete(target);
                    } catch (IOException ignored) {
                        // the JDK ignores a failure to roll back too
                    }
                }
            }
        } finally {
            closeQuietly(in);
        }
    }

    /** Every byte to the end of {@code in}; a failure names both files, as the JDK's copy does. */
    private static void copyBytes(FileChannel in, FileChannel out, Path source, Path target) throws IOException {
        try {
            long position = 0;
            for (long n; (n = in.transferTo(position, Long.MAX_VALUE, out)) > 0; ) {
                position += n;
            }
            // past the size the file gave: a file that grew, or one whose size is 0 (/proc)
            ByteBuffer buffer = ByteBuffer.allocate(TAIL_BUFFER_BYTES);
            while (in.read(buffer.clear(), position) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
            }
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new FileSystemException(source.toString(), target.toString(), e.getMessage());
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = PosixFilePermission.values(); // OWNER_READ (0400) down to OTHERS_EXECUTE (01)
        for (int i = 0; i < byBit.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(byBit[i]);
            }
        }
        return permissions;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // as the JDK, which closes both descriptors without looking at the result
        }
    }
}
