package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Sequential reads of large blocks through each {@link Contender}, cold or {@code O_DIRECT}
 * (workload 4 of {@code docs/BENCHMARKS.md}): the bandwidth to compare with fio's. The threads
 * take the next block of the file from a shared cursor, so the reads in flight are always the next
 * {@code threads} blocks (as fio's {@code rw=read} keeps {@code iodepth} of them); at the end of the
 * file they start over, cold runs dropping the file from the cache first. Bytes per second are
 * {@code reads} times {@code blockBytes}. The run, its results and the shared parameters are
 * {@link FileReadBenchmark}'s.
 *
 * <p>By hand, from a directory on a disk:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SequentialReadBenchmark -p threads=2,8
 * </pre>
 */
public class SequentialReadBenchmark extends FileReadBenchmark {
    /** The page cache's state and the open mode: {@code cold} or {@code direct} ({@code hot} works too). */
    @Param({"cold", "direct"})
    public String cache;

    /** The virtual threads that read at once: the reads in flight. */
    @Param("8")
    public int threads;

    /** The bytes of each read. */
    @Param("1048576")
    public int blockBytes;

    @Override
    CacheState cacheState() {
        return CacheState.named(cache);
    }

    @Override
    int readers() {
        return threads;
    }

    @Override
    int blockBytes() {
        return blockBytes;
    }

    @Override
    boolean shuffled() {
        return false;
    }
}
