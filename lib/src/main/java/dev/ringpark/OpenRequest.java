package dev.ringpark;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.OpenMode;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code FileChannel.open}'s options and attributes ask for, validated and translated the way
 * the JDK's Unix channel factory does it: READ by default, APPEND implies WRITE, creation and
 * truncation only when writing, NOFOLLOW for DELETE_ON_CLOSE, mode 0666 (less the umask) unless a
 * {@code posix:permissions} attribute says otherwise.
 *
 * @param mode           how the file is opened
 * @param deleteOnClose  whether to unlink the file once it is open
 * @param interrupts     what an interrupt of a caller does: close the channel, as {@code FileChannel}
 *                       specifies; cancel the call alone, with
 *                       {@link RingOpenOption#INTERRUPT_CANCELS_CALL}; nothing, for the channels
 *                       behind streams, which the JDK makes uninterruptible
 */
record OpenRequest(OpenMode mode, boolean deleteOnClose, InterruptPolicy interrupts) {

    private static final int DEFAULT_PERMISSIONS = 0666;

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, found by name: javac flags every mention
     * of the {@code jdk.unsupported} types as proprietary API, and this build fails on warnings.
     * {@code null} when that module is not in the JVM (an application launched from a named module
     * that does not require it, which then cannot name the option either).
     */
    private static final OpenOption DIRECT = extendedOption("DIRECT");

    /** The request {@code FileChannel.open} would make of these: the JDK's options only. */
    static OpenRequest of(Set<? extends OpenOption> options, FileAttribute<?>... attributes) {
        return parse(options, false, attributes);
    }

    /** The request {@link RingFileChannel#open} makes of these: the JDK's options and {@link RingOpenOption}s. */
    static OpenRequest withRingparkOptions(Set<? extends OpenOption> options, FileAttribute<?>... attributes) {
        return parse(options, true, attributes);
    }

    /** {@code options} without Ringpark's own, for the JDK's {@code FileChannel.open}. */
    static Set<OpenOption> jdkOptions(Set<? extends OpenOption> options) {
        Set<OpenOption> jdk = new HashSet<>();
        for (OpenOption option : options) {
            if (!(option instanceof RingOpenOption)) {
                jdk.add(option);
            }
        }
        return jdk;
    }

    private static OpenRequest parse(Set<? extends OpenOption> options, boolean ringparkOptions,
                                     FileAttribute<?>... attributes) {
        Objects.requireNonNull(options, "options");
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
        boolean interruptCancelsCall = false;
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
                    if (option == DIRECT) {
                        direct = true;
                    } else if (option == RingOpenOption.INTERRUPT_CANCELS_CALL && ringparkOptions) {
                        interruptCancelsCall = true;
                    } else {
                        // The JDK's words for an option it does not know, Ringpark's own included.
                        throw new UnsupportedOperationException(option + " not supported");
                    }
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
        OpenMode.Access access = read && write ? OpenMode.Access.READ_WRITE
                : write ? OpenMode.Access.WRITE : OpenMode.Access.READ;
        OpenMode.Creation creation = !write ? OpenMode.Creation.EXISTING
                : createNew ? OpenMode.Creation.CREATE_NEW : create ? OpenMode.Creation.CREATE : OpenMode.Creation.EXISTING;
        boolean followLinks = createNew || !(noFollow || deleteOnClose);
        OpenMode mode = new OpenMode(access, creation, write && truncate, write && append, sync, dsync, direct,
                followLinks, permissions(attributes));
        return new OpenRequest(mode, deleteOnClose,
                interruptCancelsCall ? InterruptPolicy.CANCEL_CALL : InterruptPolicy.CLOSE_CHANNEL);
    }

    /** This request for a channel that no interrupt closes or cancels: its calls complete regardless. */
    OpenRequest uninterruptible() {
        return new OpenRequest(mode, deleteOnClose, InterruptPolicy.IGNORE);
    }

    boolean readable() {
        return mode.readable();
    }

    boolean writable() {
        return mode.writable();
    }

    boolean append() {
        return mode.append();
    }

    boolean direct() {
        return mode.direct();
    }

    /** How the JDK's Unix channel factory reports this request's open failing with {@code errno}. */
    IOException failure(int errno, Path path) {
        if (mode.creation() == OpenMode.Creation.CREATE_NEW && errno == Errno.EISDIR) {
            errno = Errno.EEXIST;
        }
        if (!mode.followLinks() && errno == Errno.ELOOP) {
            return new IOException(Errno.message(errno) + " (NOFOLLOW_LINKS specified)");
        }
        return IoExceptions.forPath(errno, path);
    }

    private static int permissions(FileAttribute<?>... attributes) {
        int mode = DEFAULT_PERMISSIONS;
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
        Class<?> type;
        try {
            type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
        } catch (ClassNotFoundException noJdkUnsupported) {
            return null;
        }
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return (OpenOption) constant;
            }
        }
        throw new IllegalStateException("no ExtendedOpenOption." + name);
    }
}
