package dev.ringpark.poller;

/**
 * What a path named when it was looked at without waiting ({@link CallerCalls#look}), which decides
 * where its open runs.
 *
 * @param type       what the path names; {@link FileType#UNKNOWN} when the look would have had to
 *                   wait (a path the kernel's caches do not hold)
 * @param fileSystem the file system it is on; {@link FileSystemTraits#UNKNOWN} when not known
 */
public record PathLook(FileType type, FileSystemTraits fileSystem) {
    static final PathLook NOTHING = new PathLook(FileType.NONE, FileSystemTraits.UNKNOWN);
    static final PathLook NOT_CACHED = new PathLook(FileType.UNKNOWN, FileSystemTraits.UNKNOWN);

    /**
     * Whether the path names a regular file, a directory, a link not followed, or nothing: an open
     * that never waits for a peer (io_uring may try it inline).
     */
    public boolean plain() {
        return switch (type) {
            case REGULAR, DIRECTORY, SYMBOLIC_LINK, NONE -> true;
            default -> false;
        };
    }

    /** Whether the path names a FIFO, whose open waits for its peer for as long as it takes. */
    public boolean fifo() {
        return type == FileType.FIFO;
    }

    /**
     * Whether an open in {@code mode} may run on the caller ({@link CallerCalls#openCached}): a regular
     * file or directory on a {@linkplain FileSystemTraits#local() local} file system, opened without
     * creating or truncating it.
     */
    public boolean opensOnCaller(OpenMode mode) {
        return (type == FileType.REGULAR || type == FileType.DIRECTORY) && fileSystem.local()
                && !mode.createsOrTruncates();
    }
}
