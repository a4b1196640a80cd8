package dev.ringpark.benchmarks;

import dev.ringpark.RingFileSystemProvider;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Locale;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Who serves {@code java.nio.file.Files} and {@code FileChannel.open} in the provider benchmarks,
 * named by their {@code contender} parameter: the code is the same {@code Files} call either way,
 * on paths of one file system or the other.
 *
 * <p>{@code ringpark} takes its paths from {@link RingFileSystemProvider#fileSystem()}: the same
 * provider code that {@code -Djava.nio.file.spi.DefaultFileSystemProvider} installs, without making
 * the fork's start-up differ. To measure it installed, add the property to the fork
 * ({@code -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ringpark.RingFileSystemProvider"})
 * and run {@code -p contender=ringpark}: {@code fileSystem()} is then the default file system.
 */
enum ProviderContender {
    /** {@code jdk}: paths of the JDK's own default file system. */
    JDK,
    /** {@code ringpark}: paths of {@link RingFileSystemProvider#fileSystem()}. */
    RINGPARK;

    /** The contender a {@code contender} parameter names: {@code jdk} or {@code ringpark}. */
    static ProviderContender named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Gets ready to run: for Ringpark, forces and checks {@code driver} (as {@link Contender} does)
     * by opening {@code anyFile} once. Refuses {@code jdk} in a fork where the provider is installed,
     * whose paths would all be Ringpark's.
     */
    void prepare(String driver, Path anyFile) throws IOException {
        boolean installed = FileSystems.getDefault().provider() instanceof RingFileSystemProvider;
        if (this == JDK && installed) {
            throw new IllegalStateException("contender jdk in a fork with RingFileSystemProvider installed measures Ringpark");
        }
        if (this == RINGPARK) {
            Contender.RINGPARK.open(anyFile, 1, driver, READ).close();
        }
    }

    /** {@code platformPath}, a path of the JDK's file system, as this contender's path to the same file. */
    Path path(Path platformPath) {
        return this == JDK ? platformPath : RingFileSystemProvider.fileSystem().getPath(platformPath.toString());
    }
}
