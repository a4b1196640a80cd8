package dev.ringpark.poller.linux;

/** Kernel settings under {@code /proc/sys}, for error messages that say which limit was hit. */
public final class Sysctl {
    private Sysctl() {
    }

    /** The value of {@code name} ({@code "fs.aio-max-nr"}), or {@code "unknown"} when it cannot be read. */
    public static String read(String name) {
        String text = ProcFile.read("/proc/sys/" + name.replace('.', '/'));
        return text == null || text.isBlank() ? "unknown" : text.lines().findFirst().orElseThrow().trim();
    }
}
