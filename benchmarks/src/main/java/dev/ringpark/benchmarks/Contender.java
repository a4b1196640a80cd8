package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;
import dev.ringpark.DriverReport;
import dev.ringpark.Ringpark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The ways of doing file I/O from virtual threads that the benchmarks compare, named by their
 * {@code contender} parameter. In every benchmark the callers are virtual threads; what differs is
 * where the blocking system call runs.
 */
enum Contender {
    /** {@code jdk}: {@link FileChannel}, each call made on the calling virtual thread (and so on its carrier). */
    JDK {
        @Override
        BlockingFile open(Path file, int callers, String driver, OpenOption... options) throws IOException {
            return new ChannelFile(FileChannel.open(file, options));
        }
    },
    /**
     * {@code pool}: {@link FileChannel}, each call handed to a fixed pool of platform threads, the
     * caller waiting on its future: the usual way to keep blocking calls off the carriers. The pool
     * has a thread per caller, up to {@value #POOL_THREADS_MAX}.
     */
    POOL {
        @Override
        BlockingFile open(Path file, int callers, String driver, OpenOption... options) throws IOException {
            return new PooledFile(FileChannel.open(file, options),
                    Executors.newFixedThreadPool(Math.min(callers, POOL_THREADS_MAX)));
        }
    },
    /** {@code async}: {@link AsynchronousFileChannel} with its default thread pool, the caller waiting on each future. */
    ASYNC {
        @Override
        BlockingFile open(Path file, int callers, String driver, OpenOption... options) throws IOException {
            return new AsyncFile(AsynchronousFileChannel.open(file, options));
        }
    },
    /** {@code ringpark}: {@link RingFileChannel} with the driver the {@code driver} parameter names ({@value #PROBE}: any). */
    RINGPARK {
        @Override
        BlockingFile open(Path file, int callers, String driver, OpenOption... options) throws IOException {
            useDriver(driver);
            return new ChannelFile(RingFileChannel.open(file, options));
        }
    };

    /**
     * The most platform threads the {@code pool} contender starts: as many as the JDK's scheduler
     * may add as carriers to compensate for blocked virtual threads.
     */
    static final int POOL_THREADS_MAX = 256;

    /** The contender a {@code contender} parameter names: {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    static Contender named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Opens {@code file} the way this contender does I/O.
     *
     * @param callers the virtual threads that will call at once, which sizes a pool where there is one
     * @param driver  Ringpark's driver; the JDK's contenders ignore it
     */
    abstract BlockingFile open(Path file, int callers, String driver, OpenOption... options) throws IOException;

    /**
     * The {@code driver} parameter that forces none: Ringpark probes and runs the first driver that
     * works here, as without {@code ringpark.driver} (the smoke run in {@code ./dev test}, which must
     * also pass where io_uring is refused).
     */
    static final String PROBE = "probe";

    /**
     * Forces Ringpark's driver (unless {@code driver} is {@value #PROBE}), prints the one in use, and
     * refuses to go on under a driver other than the one asked for. Must run before anything else in
     * the fork touches Ringpark, which reads the property once, when it starts.
     */
    static void useDriver(String driver) throws IOException {
        if (!driver.equals(PROBE)) {
            System.setProperty(Ringpark.DRIVER_PROP_NAME, driver);
        }
        DriverReport inUse = Ringpark.driver();
        System.out.println("Ringpark driver: " + inUse);
        if (!driver.equals(PROBE) && !driver.equals(inUse.driver())) {
            throw new IOException(Ringpark.DRIVER_PROP_NAME + "=" + driver + " was asked for but Ringpark runs " + inUse);
        }
    }

    /** A {@link FileChannel} called on the caller's thread: the JDK's and Ringpark's. */
    private record ChannelFile(FileChannel channel) implements BlockingFile {
        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return channel.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return channel.write(source, position);
        }

        @Override
        public void forceData() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A {@link FileChannel} called on a pool's platform thread while the caller waits. */
    private record PooledFile(FileChannel channel, ExecutorService pool) implements BlockingFile {
        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return await(pool.submit(() -> channel.read(destination, position)));
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return await(pool.submit(() -> channel.write(source, position)));
        }

        @Override
        public void forceData() throws IOException {
            Callable<Void> force = () -> {
                channel.force(false);
                return null;
            };
            await(pool.submit(force));
        }

        @Override
        public void close() throws IOException {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.close();
            }
        }
    }

    /** An {@link AsynchronousFileChannel} whose futures the caller waits on; its {@code force} blocks the caller. */
    private record AsyncFile(AsynchronousFileChannel channel) implements BlockingFile {
        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return await(channel.read(destination, position));
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return await(channel.write(source, position));
        }

        @Override
        public void forceData() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Waits for {@code result}, giving the {@link IOException} its operation threw as it is. */
    private static <T> T await(Future<T> result) throws IOException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a file operation");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }
}
