package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM of {@link ResourceLimitTest}: leaves virtual threads parked in Ringpark reads of a FIFO
 * that gets no data and in writes to another that cannot finish (nobody reads, the pipe is full), then
 * ends the JVM while those operations are in flight: {@code exit} calls {@code System.exit(0)},
 * {@code return} returns from main (virtual threads do not keep a JVM alive). A shutdown hook first
 * writes and forces a file through Ringpark, to show the poller still serves hooks.
 *
 * <p>Arguments: the FIFO to read, the FIFO to write, a directory, {@code exit} or {@code return}.
 */
public final class ExitWhileParked {
    static final int CHANNELS = 50;
    static final int READERS = 200;
    static final int WRITERS = 10;

    private ExitWhileParked() {}

    public static void main(String[] args) throws Exception {
        Path readFifo = Path.of(args[0]);
        Path writeFifo = Path.of(args[1]);
        Path directory = Path.of(args[2]);
        boolean exit = args[3].equals("exit");
        // Both ends held here: the channels open at once, reads wait for data, writes for room.
        RandomAccessFile readFifoEnds = new RandomAccessFile(readFifo.toFile(), "rw");
        RandomAccessFile writeFifoEnds = new RandomAccessFile(writeFifo.toFile(), "rw");
        List<RingFileChannel> readers = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            readers.add(RingFileChannel.open(readFifo, READ));
        }
        List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            RingFileChannel channel = readers.get(i % CHANNELS);
            boolean direct = i % 2 == 0;
            parked.add(Thread.ofVirtual().start(() -> {
                try {
                    channel.read(direct ? ByteBuffer.allocateDirect(4096) : ByteBuffer.allocate(4096));
                    System.out.println("UNEXPECTED read returned");
                } catch (Exception e) {
                    System.out.println("UNEXPECTED read failed: " + e);
                }
            }));
        }
        for (int i = 0; i < WRITERS; i++) {
            RingFileChannel channel = RingFileChannel.open(writeFifo, WRITE);
            parked.add(Thread.ofVirtual().start(() -> {
                try {
                    channel.write(ByteBuffer.allocate(1 << 20)); // more than the pipe holds
                    System.out.println("UNEXPECTED write returned");
                } catch (Exception e) {
                    System.out.println("UNEXPECTED write failed: " + e);
                }
            }));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (Thread thread : parked) {
            while (thread.getState() != Thread.State.WAITING) {
                if (System.nanoTime() > deadline) {
                    System.out.println("NOT_PARKED " + thread + " " + thread.getState());
                    System.exit(4);
                }
                Thread.sleep(2);
            }
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                String hookResult = VirtualThreads.call(() -> {
                    try (RingFileChannel out = RingFileChannel.open(directory.resolve("from-hook"), CREATE, WRITE)) {
                        int n = out.write(ByteBuffer.wrap(Bytes.pattern(9, 4096)), 0);
                        out.force(true);
                        return "wrote " + n;
                    }
                });
                System.out.println("HOOK " + hookResult);
            } catch (Exception e) {
                System.out.println("HOOK failed: " + e);
            }
            System.out.flush();
        }));
        System.out.println("PARKED " + parked.size() + " at " + System.nanoTime());
        System.out.flush();
        if (exit) {
            System.exit(0);
        }
        // Held open until the end.
        readFifoEnds.getFD().valid();
        writeFifoEnds.getFD().valid();
    }
}
