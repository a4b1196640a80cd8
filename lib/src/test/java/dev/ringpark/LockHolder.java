package dev.ringpark;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child JVM that holds a write lock of a whole file: it locks the file named by its argument, prints
 * {@code locked}, and keeps the lock until its standard input ends. Record locks belong to a process,
 * so only another process's lock can make this JVM's {@code FileChannel.lock} wait in the kernel
 * ({@code fcntl(F_SETLKW)}).
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
            lock.release();
        }
    }
}
