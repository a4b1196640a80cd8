package dev.ringpark.poller;

import dev.ringpark.poller.linux.Statx;

/** What a path or a descriptor names, from the type bits of its mode. */
public enum FileType {
    REGULAR, DIRECTORY, SYMBOLIC_LINK, FIFO, CHARACTER_DEVICE, BLOCK_DEVICE, SOCKET,
    /** Nothing: the path names no file. */
    NONE,
    /** Not known: the look could not be made without waiting. */
    UNKNOWN;

    /** The type {@code statx}'s {@code stx_mode} type bits say. */
    static FileType ofStatxType(int typeBits) {
        return switch (typeBits) {
            case Statx.TYPE_REGULAR -> REGULAR;
            case Statx.TYPE_DIRECTORY -> DIRECTORY;
            case Statx.TYPE_SYMBOLIC_LINK -> SYMBOLIC_LINK;
            case Statx.TYPE_FIFO -> FIFO;
            case Statx.TYPE_CHARACTER_DEVICE -> CHARACTER_DEVICE;
            case Statx.TYPE_BLOCK_DEVICE -> BLOCK_DEVICE;
            default -> SOCKET;
        };
    }
}
