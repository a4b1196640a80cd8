package dev.ringpark.poller;

import dev.ringpark.poller.linux.OpenFlags;

/**
 * How a file is opened: what {@code open(2)}'s flags and mode say, in words.
 *
 * @param access      reading, writing or both
 * @param creation    whether a missing file is created, and whether an existing one is an error
 * @param truncate    whether an existing file is cut to size 0 ({@code O_TRUNC})
 * @param append      whether every write goes to the end ({@code O_APPEND})
 * @param sync        whether writes wait for data and metadata to be durable ({@code O_SYNC})
 * @param dataSync    whether writes wait for data to be durable ({@code O_DSYNC})
 * @param direct      whether transfers bypass the page cache ({@code O_DIRECT})
 * @param followLinks whether a symbolic link at the path is followed (else {@code O_NOFOLLOW})
 * @param permissions the permission bits of a created file, before the umask ({@code 0666} usually)
 */
public record OpenMode(Access access, Creation creation, boolean truncate, boolean append, boolean sync,
                       boolean dataSync, boolean direct, boolean followLinks, int permissions) {
    /** Reading, writing or both. */
    public enum Access { READ, WRITE, READ_WRITE }

    /** What happens when the file does or does not exist. */
    public enum Creation {
        /** It must exist. */
        EXISTING,
        /** It is created if missing ({@code O_CREAT}). */
        CREATE,
        /** It is created, and must not exist ({@code O_CREAT | O_EXCL}). */
        CREATE_NEW
    }

    public boolean readable() {
        return access != Access.WRITE;
    }

    public boolean writable() {
        return access != Access.READ;
    }

    /**
     * Whether the open may change the file system, by creating the file or cutting it: such an open
     * writes to the disk, and the kernel refuses it under {@code RESOLVE_CACHED}.
     */
    public boolean createsOrTruncates() {
        return creation != Creation.EXISTING || truncate;
    }

    /** The {@code open(2)} flags, close-on-exec included. */
    public int flags() {
        int flags = switch (access) {
            case READ -> OpenFlags.O_RDONLY;
            case WRITE -> OpenFlags.O_WRONLY;
            case READ_WRITE -> OpenFlags.O_RDWR;
        } | OpenFlags.O_CLOEXEC;
        flags |= switch (creation) {
            case EXISTING -> 0;
            case CREATE -> OpenFlags.O_CREAT;
            case CREATE_NEW -> OpenFlags.O_CREAT | OpenFlags.O_EXCL;
        };
        flags |= truncate ? OpenFlags.O_TRUNC : 0;
        flags |= append ? OpenFlags.O_APPEND : 0;
        flags |= sync ? OpenFlags.O_SYNC : 0;
        flags |= dataSync ? OpenFlags.O_DSYNC : 0;
        flags |= direct ? OpenFlags.O_DIRECT : 0;
        flags |= followLinks ? 0 : OpenFlags.O_NOFOLLOW;
        return flags;
    }
}
