package dev.ringpark;

import dev.ringpark.poller.linux.Errno;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import dev.ringpark.poller.linux.OpenHow;
import dev.ringpark.poller.linux.Statx;

import java.lang.foreign.MemorySegment;

/**
 * Where an open goes, by what its path names, found on the caller's thread by calls that cannot
 * wait: {@code openat2(O_PATH, RESOLVE_CACHED)} (only what the kernel's caches hold; an
 * {@code O_PATH} descriptor is never a FIFO's reader or writer) and {@code statx} of that descriptor
 * with {@code AT_STATX_DONT_SYNC} (no remote file system asked).
 *
 * <p>The path may change between this look and the open. A path that becomes a FIFO meanwhile is
 * opened as a plain one, which on io_uring means as with {@code O_NONBLOCK}: for reading without
 * waiting for a writer, for writing only if a reader is there.
 */
enum OpenRoute {
    /** A regular file, a directory, a symbolic link not followed, or nothing: {@code Operation.Kind.OPEN_PLAIN}. */
    PLAIN,
    /** A FIFO: its open may wait for its peer for ever, on a thread of its own ({@link FifoOpens}). */
    FIFO,
    /** A device or socket, or a path the caches do not hold (or {@code openat2} missing): {@code Operation.Kind.OPEN}. */
    MAY_BLOCK;

    /** An {@code open_how}, an empty path and a {@code struct statx}, in one lease. */
    private static final long SCRATCH_BYTES = OpenHow.BYTES + 8 + Statx.BYTES;

    /**
     * Looks at {@code path}.
     *
     * @param path        a NUL-terminated path
     * @param followLinks whether the open follows a symbolic link at the path
     */
    static OpenRoute of(MemorySegment path, boolean followLinks) {
        try (Lease scratch = Lease.of(SCRATCH_BYTES); Lease callState = Lease.of(LibC.CALL_STATE_BYTES)) {
            MemorySegment how = scratch.segment().asSlice(0, OpenHow.BYTES);
            MemorySegment emptyPath = scratch.segment().asSlice(OpenHow.BYTES, 8).fill((byte) 0);
            MemorySegment statx = scratch.segment().asSlice(OpenHow.BYTES + 8, Statx.BYTES);
            OpenHow.set(how, OpenFlags.O_PATH | OpenFlags.O_CLOEXEC | (followLinks ? 0 : OpenFlags.O_NOFOLLOW), 0,
                    OpenHow.RESOLVE_CACHED);
            int fd = LibC.openat2(callState.segment(), OpenFlags.AT_FDCWD, path, how);
            if (fd < 0) {
                return fd == -Errno.ENOENT ? PLAIN : MAY_BLOCK;
            }
            int rc = LibC.statx(callState.segment(), fd, emptyPath, OpenFlags.AT_EMPTY_PATH | OpenFlags.AT_STATX_DONT_SYNC,
                    Statx.MASK_TYPE, statx);
            int type = rc < 0 ? -1 : Statx.fileType(statx);
            LibC.close(callState.segment(), fd);
            return switch (type) {
                case Statx.TYPE_REGULAR, Statx.TYPE_DIRECTORY, Statx.TYPE_SYMBOLIC_LINK -> PLAIN;
                case Statx.TYPE_FIFO -> FIFO;
                default -> MAY_BLOCK;
            };
        }
    }
}
