package dev.ringpark.poller;

import dev.ringpark.poller.linux.Iovec;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import dev.ringpark.poller.linux.OpenHow;
import dev.ringpark.poller.linux.Statvfs;
import dev.ringpark.poller.linux.Statx;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every system call Ringpark makes on the caller's thread rather than through the poller, each only
 * where it cannot wait: the rule is that a call that may block goes through the poller, and one
 * that cannot is cheaper made at once. Each method says why its call cannot wait; a call that finds
 * it would have to answers {@link #WOULD_WAIT} instead, and the caller then goes through the
 * poller.
 *
 * <p>Results are those of the system calls: a non-negative value, {@code -errno}, or
 * {@link #WOULD_WAIT}. Any thread may call; scratch memory comes from the shared buffer pool.
 */
public final class CallerCalls {
    /** The answer of a call that would have had to wait. Negative, and no {@code -errno}. */
    public static final int WOULD_WAIT = Integer.MIN_VALUE;

    private static final NativeBufferPool POOL = NativeBufferPool.shared();
    /** One pooled buffer: the errno capture, then an open_how or an iovec, then a statx. */
    private static final long CALL_STATE = 0;
    private static final long ARGUMENT = 64;
    private static final long STATX = 128;
    private static final long EMPTY_PATH = STATX + Statx.BYTES;
    private static final long SCRATCH_BYTES = EMPTY_PATH + 8;
    /** What a look at a path or a descriptor asks {@code statx} for. */
    private static final int LOOK_MASK = Statx.MASK_TYPE | Statx.MASK_MNT_ID;

    private CallerCalls() {
    }

    /** Scratch memory for one call, given back when it ends. */
    private static final class Scratch implements AutoCloseable {
        final MemorySegment memory = POOL.acquire(SCRATCH_BYTES);

        MemorySegment callState() {
            return memory.asSlice(CALL_STATE, LibC.CALL_STATE_BYTES);
        }

        MemorySegment argument(long bytes) {
            return memory.asSlice(ARGUMENT, bytes);
        }

        MemorySegment statx() {
            return memory.asSlice(STATX, Statx.BYTES);
        }

        MemorySegment emptyPath() {
            return memory.asSlice(EMPTY_PATH, 8).fill((byte) 0);
        }

        @Override
        public void close() {
            POOL.release(memory);
        }
    }

    /**
     * Looks at what {@code path} names: {@code openat2(O_PATH, RESOLVE_CACHED)}, {@code statx} of that
     * descriptor, {@code close}.
     *
     * <p>Cannot wait: {@code RESOLVE_CACHED} resolves only what the dentry cache holds and answers
     * {@code EAGAIN} for anything else; an {@code O_PATH} descriptor opens the path, not the file (no
     * file system open, never a FIFO's reader or writer, so no peer notices); {@code statx} with
     * {@code AT_STATX_DONT_SYNC} of it answers from the inode in memory, without asking a remote
     * server; closing an {@code O_PATH} descriptor releases nothing of the file's.
     *
     * @param path        a NUL-terminated path
     * @param followLinks whether a symbolic link at the path is followed
     * @return what it names; {@link FileType#UNKNOWN} when the caches do not hold the whole path (or
     *         the kernel has no {@code openat2}, before 5.6)
     */
    public static PathLook look(MemorySegment path, boolean followLinks) {
        try (Scratch scratch = new Scratch()) {
            MemorySegment how = scratch.argument(OpenHow.BYTES);
            OpenHow.set(how, OpenFlags.O_PATH | OpenFlags.O_CLOEXEC | (followLinks ? 0 : OpenFlags.O_NOFOLLOW), 0,
                    OpenHow.RESOLVE_CACHED);
            int fd = LibC.openat2(scratch.callState(), OpenFlags.AT_FDCWD, path, how);
            if (fd < 0) {
                // ENOENT under RESOLVE_CACHED is an answer: a cached negative dentry. Anything else is not.
                return fd == -Errno.ENOENT ? PathLook.NOTHING : PathLook.NOT_CACHED;
            }
            PathLook look = describe(scratch, fd);
            LibC.close(scratch.callState(), fd);
            return look;
        }
    }

    /**
     * What an open descriptor is open on: {@code statx(AT_EMPTY_PATH | AT_STATX_DONT_SYNC)}.
     *
     * <p>Cannot wait: the type and mount come from the inode in memory; {@code DONT_SYNC} keeps a
     * remote file system (NFS, FUSE) from asking its server. The mount's type, the first time a mount
     * is seen, comes from {@code /proc/self/mountinfo}, which the kernel writes from memory.
     */
    public static PathLook describe(int fd) {
        try (Scratch scratch = new Scratch()) {
            return describe(scratch, fd);
        }
    }

    private static PathLook describe(Scratch scratch, int fd) {
        MemorySegment statx = scratch.statx();
        int rc = LibC.statx(scratch.callState(), fd, scratch.emptyPath(),
                OpenFlags.AT_EMPTY_PATH | OpenFlags.AT_STATX_DONT_SYNC, LOOK_MASK, statx);
        if (rc < 0) {
            return PathLook.NOT_CACHED;
        }
        FileSystemTraits fileSystem = (Statx.filled(statx) & Statx.MASK_MNT_ID) == 0 ? FileSystemTraits.UNKNOWN
                : MountTable.traits(Statx.mountId(statx), Statx.deviceMajor(statx), Statx.deviceMinor(statx));
        return new PathLook(FileType.ofStatxType(Statx.fileType(statx)), fileSystem);
    }

    /**
     * Opens {@code path}, which {@link #look} found to be a regular file or a directory on a local
     * file system ({@link PathLook#opensOnCaller}), without creating or truncating it.
     *
     * <p>Cannot wait: {@code RESOLVE_CACHED} again resolves only cached dentries (answering
     * {@code EAGAIN} otherwise), and the kernel refuses it outright for {@code O_CREAT} and
     * {@code O_TRUNC}, which write to the disk. Opening a regular file or a directory of ext4, xfs,
     * btrfs or tmpfs sets up a file in memory. {@code O_NONBLOCK} guards the one case the look cannot
     * exclude, a path replaced by a FIFO or a device in between: such an open then returns at once
     * instead of waiting for a peer (its peers notice, as they do io_uring's inline attempt, which is
     * this same open). It also turns a lease that would have to be broken into {@code EAGAIN}. The
     * flag is cleared again once the file is open ({@code F_SETFL} sets exactly the status flags the
     * caller asked for). This is the open io_uring itself makes inline, in its submitter's thread,
     * before it hands an open to a worker; like it, a first open after mounting may write ext4's
     * last-mounted record once.
     *
     * @return a descriptor, {@link #WOULD_WAIT} when the path is no longer all cached (or a lease
     *         must be broken), or {@code -errno}: the open's real failure
     * @throws IllegalArgumentException when {@code mode} creates or truncates
     */
    public static int openCached(MemorySegment path, OpenMode mode) {
        if (mode.createsOrTruncates()) {
            throw new IllegalArgumentException("an open that creates or truncates may wait: " + mode);
        }
        try (Scratch scratch = new Scratch()) {
            MemorySegment how = scratch.argument(OpenHow.BYTES);
            OpenHow.set(how, mode.flags() | OpenFlags.O_NONBLOCK, 0, OpenHow.RESOLVE_CACHED);
            int fd = LibC.openat2(scratch.callState(), OpenFlags.AT_FDCWD, path, how);
            if (fd == -Errno.EAGAIN) {
                return WOULD_WAIT;
            }
            if (fd >= 0) {
                int rc = LibC.fcntl(scratch.callState(), fd, LibC.F_SETFL, mode.flags());
                if (rc < 0) {
                    LibC.close(scratch.callState(), fd);
                    return rc;
                }
            }
            return fd;
        }
    }

    /**
     * Whether {@code fd} has a file position ({@code lseek(SEEK_CUR)} succeeds): a file, not a pipe.
     * Cannot wait: see {@link #seek}.
     */
    public static boolean seekable(int fd) {
        return seek(fd, 0, false) >= 0;
    }

    /**
     * {@code lseek(fd, offset, fromStart ? SEEK_SET : SEEK_CUR)}: the new file position, or {@code -errno}.
     *
     * <p>Cannot wait: setting or reading the position of a file touches only the open file's own
     * offset (no I/O, no inode lock for {@code SEEK_SET} and {@code SEEK_CUR}); the offset lock it may
     * take is held only by other seeks, since Ringpark never reads or writes a file at its position.
     */
    public static long seek(int fd, long offset, boolean fromStart) {
        try (Scratch scratch = new Scratch()) {
            return LibC.lseek(scratch.callState(), fd, offset, fromStart ? LibC.SEEK_SET : LibC.SEEK_CUR);
        }
    }

    /**
     * {@code preadv2(RWF_NOWAIT)} of a buffered file into native memory: the bytes the page cache
     * holds for the range.
     *
     * <p>Cannot wait: {@code RWF_NOWAIT} makes the kernel answer {@code EAGAIN} rather than start a
     * read from the device or wait for a locked page (it answers so now and then for cached data too).
     * Not for {@code O_DIRECT} descriptors, whose reads always go to the device.
     *
     * @return the bytes read (0 at end of file), {@link #WOULD_WAIT} when they are not all cached, or
     *         {@code -errno} ({@code EOPNOTSUPP} where the file system does not take the flag)
     */
    public static int readCached(int fd, long address, int length, long offset) {
        try (Scratch scratch = new Scratch()) {
            MemorySegment iovec = scratch.argument(Iovec.BYTES);
            Iovec.set(iovec, 0, address, length);
            long n = LibC.preadv2(scratch.callState(), fd, iovec, 1, offset, LibC.RWF_NOWAIT);
            return n == -Errno.EAGAIN ? WOULD_WAIT : (int) n;
        }
    }

    /**
     * The size of the file {@code handle} is open on, when asking cannot wait.
     *
     * <p>Cannot wait: a block device's size is a field of the device in memory
     * ({@code BLKGETSIZE64}, which the JDK asks too: {@code statx} says 0 for devices); any other
     * file's comes from {@code statx} with {@code AT_STATX_DONT_SYNC}, made only on a
     * {@linkplain FileSystemTraits#local() local} file system, whose inode in memory is the truth.
     * A remote file system's cached size may be stale: those go through the poller, which asks the
     * server as the JDK's {@code fstat} does.
     *
     * @return the size, {@link #WOULD_WAIT} on a file system where asking may wait, or {@code -errno}
     */
    public static long size(FileHandle handle) {
        try (Scratch scratch = new Scratch()) {
            if (handle.type() == FileType.BLOCK_DEVICE) {
                MemorySegment size = scratch.argument(8);
                int rc = LibC.ioctl(scratch.callState(), handle.fd(), LibC.BLKGETSIZE64, size);
                return rc < 0 ? rc : size.get(JAVA_LONG, 0);
            }
            if (!handle.fileSystem().local()) {
                return WOULD_WAIT;
            }
            MemorySegment statx = scratch.statx();
            int rc = LibC.statx(scratch.callState(), handle.fd(), scratch.emptyPath(),
                    OpenFlags.AT_EMPTY_PATH | OpenFlags.AT_STATX_DONT_SYNC, Statx.MASK_SIZE, statx);
            return rc < 0 ? rc : Statx.size(statx);
        }
    }

    /**
     * Closes {@code handle}'s descriptor, which nothing uses any more, when {@code close(2)} cannot wait.
     *
     * <p>Cannot wait: only a read-only descriptor of a {@linkplain FileSystemTraits#local() local}
     * file system whose file still has a name ({@code stx_nlink > 0}) is closed here. Its release
     * flushes nothing (a writable one's may: ext4 allocates delayed blocks of a file truncated to
     * zero and rewritten, and gives back preallocated ones, both of which may read or write the
     * disk); it is not the last close of an unlinked file (which frees the file's blocks, journal
     * and all); and no remote server or FUSE daemon is told. Left to the poller, for those reasons:
     * writable descriptors, NFS and FUSE files, unlinked files, devices, pipes and sockets. A file
     * unlinked by another process between the look at its link count and the close is freed here.
     *
     * @return 0, {@code -errno}, or {@link #WOULD_WAIT} (nothing done)
     */
    public static int close(FileHandle handle) {
        if (handle.writable() || !handle.fileSystem().local()
                || handle.type() != FileType.REGULAR && handle.type() != FileType.DIRECTORY) {
            return WOULD_WAIT;
        }
        try (Scratch scratch = new Scratch()) {
            MemorySegment statx = scratch.statx();
            int rc = LibC.statx(scratch.callState(), handle.fd(), scratch.emptyPath(),
                    OpenFlags.AT_EMPTY_PATH | OpenFlags.AT_STATX_DONT_SYNC, Statx.MASK_NLINK, statx);
            if (rc < 0 || Statx.linkCount(statx) == 0) {
                return WOULD_WAIT;
            }
            return LibC.close(scratch.callState(), handle.fd());
        }
    }

    /**
     * {@code close(2)} of {@code fd} whatever it may cost: for a descriptor the poller could not
     * close because it failed. 0 or {@code -errno}.
     */
    public static int closeAnyway(int fd) {
        try (Scratch scratch = new Scratch()) {
            return LibC.close(scratch.callState(), fd);
        }
    }

    /**
     * The block size the JDK requires O_DIRECT transfers on {@code fd} to be aligned to
     * ({@code fstatvfs(3)}'s {@code f_frsize}), or {@code -errno}. Asked once per O_DIRECT open.
     * For local file systems it reads the superblock in memory; a remote one's {@code statfs} asks
     * its server, which is not excluded here (O_DIRECT on NFS is rare).
     */
    public static long directIoBlockSize(int fd) {
        try (Scratch scratch = new Scratch()) {
            MemorySegment statvfs = POOL.acquire(Statvfs.BYTES);
            try {
                int rc = LibC.fstatvfs(scratch.callState(), fd, statvfs);
                return rc < 0 ? rc : Statvfs.fragmentSize(statvfs);
            } finally {
                POOL.release(statvfs);
            }
        }
    }
}
