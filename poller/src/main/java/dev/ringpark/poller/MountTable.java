package dev.ringpark.poller;

import dev.ringpark.poller.linux.ProcFile;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link FileSystemTraits} of each mount a file was seen on, found in {@code /proc/self/mountinfo}
 * the first time and remembered. A mount is known by its id and its device number together: the
 * kernel reuses both after an unmount, but seldom the same pair for a mount of another type.
 *
 * <p>The table is read with plain system calls ({@link ProcFile}) from memory the kernel keeps, so a
 * miss costs a read of that file on the caller's thread and never waits for a device.
 */
final class MountTable {
    private static final ConcurrentHashMap<Long, FileSystemTraits> KNOWN = new ConcurrentHashMap<>();

    private MountTable() {
    }

    /** The traits of the mount with {@code mountId} on device {@code major:minor}; UNKNOWN when not found. */
    static FileSystemTraits traits(long mountId, int major, int minor) {
        long key = mountId << 32 | (major & 0xFFFL) << 20 | (minor & 0xFFFFFL);
        FileSystemTraits known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        FileSystemTraits found = lookUp(mountId, major + ":" + minor);
        KNOWN.put(key, found);
        return found;
    }

    /**
     * Finds the mount's line: {@code "36 35 98:0 /root /mnt rw,noatime shared:1 - ext4 /dev/vda rw"},
     * whose first field is the mount id, third the device, and whose type follows the {@code " - "}.
     */
    private static FileSystemTraits lookUp(long mountId, String device) {
        String table = ProcFile.read("/proc/self/mountinfo");
        if (table == null) {
            return FileSystemTraits.UNKNOWN;
        }
        String id = Long.toString(mountId);
        for (String line : table.split("\n")) {
            String[] fields = line.split(" ");
            int separator = line.indexOf(" - ");
            if (fields.length > 2 && fields[0].equals(id) && fields[2].equals(device) && separator >= 0) {
                String rest = line.substring(separator + 3);
                int end = rest.indexOf(' ');
                return FileSystemTraits.ofType(end < 0 ? rest : rest.substring(0, end));
            }
        }
        return FileSystemTraits.UNKNOWN;
    }
}
