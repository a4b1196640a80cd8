package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.nio.file.Path;

/**
 * Child JVM of {@link SettingsTest}: opens a file twice and asks for the driver, printing one line per
 * attempt, {@code OPEN ok} or {@code OPEN <exception class>: <message>} (likewise {@code DRIVER}). The
 * second open shows whether a bad setting keeps failing the same way or turns into a class that could
 * not initialize.
 */
public final class SettingsProbe {
    private SettingsProbe() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]).resolve("settings-probe");
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                RingFileChannel.open(file, CREATE, READ, WRITE).close();
                System.out.println("OPEN ok");
            } catch (Throwable t) {
                System.out.println("OPEN " + t.getClass().getName() + ": " + t.getMessage());
            }
        }
        try {
            System.out.println("DRIVER ok " + Ringpark.driver());
        } catch (Throwable t) {
            System.out.println("DRIVER " + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
