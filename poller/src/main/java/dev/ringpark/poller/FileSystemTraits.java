package dev.ringpark.poller;

import java.util.Set;

/**
 * What a file system's code does on the calls Ringpark may make on the caller's thread, by which
 * those calls are known not to wait. Decided from the file system's type, as
 * {@code /proc/self/mountinfo} names it; a type not listed here is assumed to wait, so every such
 * call of its files goes through the poller.
 *
 * @param type  the file system type ({@code "ext4"}), or {@code "unknown"}
 * @param local whether its files' metadata lives in memory once the inode is: asking for it
 *              ({@code statx}) reads the in-memory inode, opening a cached path starts no request,
 *              and releasing a read-only descriptor flushes nothing. True of ext2/3/4, xfs, btrfs and
 *              tmpfs. Not of NFS, SMB, Ceph or 9p (whose open, getattr and close talk to a server),
 *              nor of FUSE (whose open, flush and release wait for the daemon), nor of overlayfs,
 *              whose calls go to whatever lies beneath
 * @param nowaitReads whether a buffered read asked not to wait ({@code RWF_NOWAIT}) can answer from
 *              the page cache; tmpfs refuses the flag ({@code EOPNOTSUPP}) even for cached data
 */
public record FileSystemTraits(String type, boolean local, boolean nowaitReads) {
    private static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs");
    private static final Set<String> NO_NOWAIT_READS = Set.of("tmpfs");

    /** A file system of which nothing is known: every call that may wait goes through the poller. */
    public static final FileSystemTraits UNKNOWN = new FileSystemTraits("unknown", false, true);

    /** The traits of a file system of type {@code type}. */
    static FileSystemTraits ofType(String type) {
        return new FileSystemTraits(type, LOCAL.contains(type), !NO_NOWAIT_READS.contains(type));
    }
}
