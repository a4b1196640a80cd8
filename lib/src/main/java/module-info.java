/**
 * Ringpark: file I/O for virtual threads that parks the caller instead of pinning its carrier.
 *
 * <p>Start at {@link dev.ringpark.RingFileChannel}. The module needs native access
 * ({@code --enable-native-access=dev.ringpark.poller}, or {@code ALL-UNNAMED} on the class path).
 */
module dev.ringpark {
    requires dev.ringpark.poller;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT
    exports dev.ringpark;
}
