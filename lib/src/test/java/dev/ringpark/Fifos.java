package dev.ringpark;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Named pipes for tests of calls that block. */
final class Fifos {
    private Fifos() {}

    /** Creates the FIFOs with one {@code mkfifo} process and returns them; skips the test without mkfifo. */
    static List<Path> make(List<Path> paths) throws IOException, InterruptedException {
        ThisMachine.assumeOnPath("mkfifo", "coreutils");
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        paths.forEach(p -> command.add(p.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("mkfifo did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException("mkfifo failed (" + process.exitValue() + "): " + output);
        }
        for (Path p : paths) {
            if (!Files.exists(p) || Files.isRegularFile(p)) {
                throw new IOException("mkfifo made no FIFO at " + p);
            }
        }
        return paths;
    }

    static Path make(Path path) throws IOException, InterruptedException {
        return make(List.of(path)).getFirst();
    }

    /**
     * Releases anyone still blocked opening either end of the FIFO (after a failed test): opening it
     * for reading and writing at once never blocks and counts as both ends.
     */
    static void unblockOpeners(Path fifo) {
        try (RandomAccessFile both = new RandomAccessFile(fifo.toFile(), "rw")) {
            both.getFD().valid();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
