package dev.ringpark.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What {@code run-benchmarks.sh} recorded about a run in {@code run.properties}: when, which
 * command and commit, the machine, fio's version (or why it did not run), and how long it took.
 */
record RunInfo(String date, String command, String mode, String commit, String elapsed, String machine, String fio,
               String note) {
    /**
     * Reads {@code run.properties}.
     *
     * @throws IOException if it cannot be read or a key is missing
     */
    static RunInfo read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return new RunInfo(required(properties, "date", file), required(properties, "command", file),
                required(properties, "mode", file), required(properties, "commit", file),
                required(properties, "elapsed", file), required(properties, "machine", file),
                required(properties, "fio", file), properties.getProperty("note", ""));
    }

    private static String required(Properties properties, String key, Path file) throws IOException {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IOException(file + " has no " + key);
        }
        return value;
    }
}
