/**
 * Ringpark: file I/O for virtual threads that parks the caller instead of pinning its carrier.
 *
 * <p>Start at {@link dev.ringpark.RingFileChannel}. The module wants native access
 * ({@code --enable-native-access=dev.ringpark.poller}, or {@code ALL-UNNAMED} on the class path);
 * where it is denied, channels fall back to the JDK's on platform threads
 * ({@link dev.ringpark.Ringpark#driver()} says so).
 */
module dev.ringpark {
    requires dev.ringpark.poller;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT
    requires java.management; // the statistics MBean
    exports dev.ringpark;
}
