package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Random reads of one file shared by many virtual threads, through each {@link Contender}, with
 * the page cache cold, hot or bypassed (workloads 1, 2, 3 and 7 of {@code docs/BENCHMARKS.md}):
 * blocks in a shuffled order of the whole file, without repeats, as fio's random map reads them.
 * The run, its results and the shared parameters are {@link FileReadBenchmark}'s.
 *
 * <p>By hand, from a directory on a disk:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark -p cache=cold -p contender=jdk,ringpark
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark -p cache=direct -p threads=1,32,256
 * </pre>
 */
public class RandomReadBenchmark extends FileReadBenchmark {
    /** The page cache's state and the open mode: {@code cold}, {@code hot} or {@code direct} (see {@link CacheState}). */
    @Param({"cold", "hot", "direct"})
    public String cache;

    /** The virtual threads that read at once. */
    @Param("256")
    public int threads;

    /** The bytes of each read. */
    @Param("4096")
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
        return true;
    }
}
