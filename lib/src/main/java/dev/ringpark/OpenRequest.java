package dev.ringpark;

import dev.ringpark.poller.linux.Errno;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static dev.ringpark.poller.linux.OpenFlags.O_APPEND;
import static dev.ringpark.poller.linux.OpenFlags.O_CLOEXEC;
import static dev.ringpark.poller.linux.OpenFlags.O_CREAT;
import static dev.ringpark.poller.linux.OpenFlags.O_DIRECT;
import static dev.ringpark.poller.linux.OpenFlags.O_DSYNC;
import static dev.ringpark.poller.linux.OpenFlags.O_EXCL;
import static dev.ringpark.poller.linux.OpenFlags.O_NOFOLLOW;
import static dev.ringpark.poller.linux.OpenFlags.O_RDONLY;
import static dev.ringpark.poller.linux.OpenFlags.O_RDWR;
import static dev.ringpark.poller.linux.OpenFlags.O_SYNC;
import static dev.ringpark.poller.linux.OpenFlags.O_TRUNC;
import static dev.ringpark.poller.linux.OpenFlags.O_WRONLY;

/**
 * What {@code FileChannel.open}'s options and attributes ask for, validated and translated the way
 * the JDK's Unix channel factory does it: READ by default, APPEND implies WRITE, creation and
 * truncation only when writing, NOFOLLOW for DELETE_ON_CLOSE, mode 0666 (less the umask) unless a
 * {@code posix:permissions} attribute says otherwise.
 *
 * @param flags          the {@code open(2)} flags
 * @param mode           the {@code open(2)} mode for a created file
 * @param readable       whether the channel may read
 * @param writable       whether the channel may write
 * @param append         whether writes append
 * @param deleteOnClose  whether to unlink the file once it is open
 * @param direct         whether transfers bypass the page cache (O_DIRECT)
 * @param followLinks    whether a symbolic link at the path is followed
 * @param createNew      whether CREATE_NEW was given
 * @param interruptible  whether an interrupt of a caller closes the channel, as {@code FileChannel}
 *                       specifies; {@code false} for the channels behind streams, which the JDK
 *                       makes uninterruptible
 */
record OpenRequest(int flags, int mode, boolean readable, boolean writable, boolean append, boolean deleteOnClose,
                   boolean direct, boolean followLinks, boolean createNew, boolean interruptible) {

    private static final int DEFAULT_MODE = 0666;

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, found by name: javac flags every mention
     * of the {@code jdk.unsupported} types as proprietary API, and this build fails on warnings.
     */
    private static final OpenOption DIRECT = extendedOption("DIRECT");

    static OpenRequest of(Set<? extends OpenOption> options, FileAttribute<?>... attributes) {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean truncate = false;
        boolean create = false;
        boolean createNew = false;
        boolean deleteOnClose = false;
        boolean sync = false;
        boolean dsync = false;
        boolean noFollow = false;
        boolean direct = false;
        for (OpenOption option : options) {
            switch (option) {
                case null -> throw new NullPointerException("null option");
                case StandardOpenOption.READ -> read = true;
                case StandardOpenOption.WRITE -> write = true;
                case StandardOpenOption.APPEND -> append = true;
                case StandardOpenOption.TRUNCATE_EXISTING -> truncate = true;
                case StandardOpenOption.CREATE -> create = true;
                case StandardOpenOption.CREATE_NEW -> createNew = true;
                case StandardOpenOption.DELETE_ON_CLOSE -> deleteOnClose = true;
                case StandardOpenOption.SPARSE -> { } // a hint; Linux files are sparse anyway
                case StandardOpenOption.SYNC -> sync = true;
                case StandardOpenOption.DSYNC -> dsync = true;
                case LinkOption.NOFOLLOW_LINKS -> noFollow = true;
                default -> {
                    if (option != DIRECT) {
                        throw new UnsupportedOperationException(option + " not supported");
                    }
                    direct = true;
                }
            }
        }
        if (!read && !write) {
            if (append) {
                write = true;
            } else {
                read = true;
            }
        }
        if (read && append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        int flags = (read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY) | O_CLOEXEC;
        if (write) {
            flags |= truncate ? O_TRUNC : 0;
            flags |= append ? O_APPEND : 0;
            flags |= createNew ? O_CREAT | O_EXCL : create ? O_CREAT : 0;
        }
        boolean followLinks = createNew || !(noFollow || deleteOnClose);
        flags |= followLinks ? 0 : O_NOFOLLOW;
        flags |= dsync ? O_DSYNC : 0;
        flags |= sync ? O_SYNC : 0;
        flags |= direct ? O_DIRECT : 0;
        return new OpenRequest(flags, mode(attributes), read, write, append, deleteOnClose, direct, followLinks,
                write && createNew, true);
    }

    /** This request for a channel that no interrupt closes or cancels: its calls complete regardless. */
    OpenRequest uninterruptible() {
        return new OpenRequest(flags, mode, readable, writable, append, deleteOnClose, direct, followLinks, createNew,
                false);
    }

    /** How the JDK's Unix channel factory reports this request's open failing with {@code errno}. */
    IOException failure(int errno, Path path) {
        if (createNew && errno == Errno.EISDIR) {
            errno = Errno.EEXIST;
        }
        if (!followLinks && errno == Errno.ELOOP) {
            return new IOException(Errno.message(errno) + " (NOFOLLOW_LINKS specified)");
        }
        return IoExceptions.forPath(errno, path);
    }

    private static int mode(FileAttribute<?>... attributes) {
        int mode = DEFAULT_MODE;
        for (FileAttribute<?> attribute : attributes) {
            if (attribute == null) {
                throw new NullPointerException("null attribute");
            }
            String name = attribute.name();
            if (!name.equals("posix:permissions") && !name.equals("unix:permissions")) {
                throw new UnsupportedOperationException("'" + name + "' not supported as initial attribute");
            }
            mode = 0;
            for (Object permission : (Set<?>) attribute.value()) {
                mode |= bit((PosixFilePermission) permission);
            }
        }
        return mode;
    }

    private static int bit(PosixFilePermission permission) {
        return switch (permission) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
        };
    }

    private static OpenOption extendedOption(String name) {
        try {
            Class<?> type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return (OpenOption) constant;
                }
            }
            throw new IllegalStateException("no ExtendedOpenOption." + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the jdk.unsupported module is missing", e);
        }
    }
}
