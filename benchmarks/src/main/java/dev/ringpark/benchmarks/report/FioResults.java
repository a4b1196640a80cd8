package dev.ringpark.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * fio's results of a run: one JSON file per job and round ({@code --output-format=json}), each
 * with one job named after the workload it stands beside, such as {@code random-cold-32}.
 */
final class FioResults {
    /**
     * One job's figures.
     *
     * @param job                the job's name
     * @param iops               completed I/Os per second
     * @param bytesPerSecond     bandwidth
     * @param cpuMicrosPerOp     fio's own CPU time (user and system, every thread of the job's process,
     *                           io_uring's workers included) per I/O, in microseconds
     */
    record Job(String job, double iops, double bytesPerSecond, double cpuMicrosPerOp) {
        /** The mean time per I/O at depth 1 (the wall time over the I/Os), in microseconds. */
        double microsPerOp() {
            return 1e6 / iops;
        }
    }

    private final List<Job> jobs;

    private FioResults(List<Job> jobs) {
        this.jobs = jobs;
    }

    /** Reads every fio JSON file given. */
    static FioResults read(List<Path> files) throws IOException {
        List<Job> jobs = new ArrayList<>();
        for (Path file : files) {
            Map<?, ?> document = (Map<?, ?>) Json.parse(Files.readString(file));
            for (Object job : (List<?>) document.get("jobs")) {
                jobs.add(job((Map<?, ?>) job));
            }
        }
        return new FioResults(jobs);
    }

    /** Whether any job ran. */
    boolean any() {
        return !jobs.isEmpty();
    }

    /** A figure of job {@code name}, summarised over the rounds. */
    Spread figure(String name, ToDoubleFunction<Job> figure) {
        return Spread.of(jobs.stream().filter(j -> j.job().equals(name)).map(j -> figure.applyAsDouble(j)).toList());
    }

    /** The depths at which jobs named {@code <prefix><depth>} ran, in numeric order. */
    List<String> depths(String prefix) {
        return jobs.stream().map(Job::job).filter(name -> name.startsWith(prefix)).map(name -> name.substring(prefix.length()))
                .distinct().sorted(Comparator.comparingDouble(Double::parseDouble)).toList();
    }

    private static Job job(Map<?, ?> job) {
        Map<?, ?> read = (Map<?, ?>) job.get("read");
        Map<?, ?> write = (Map<?, ?>) job.get("write");
        double ios = number(read, "total_ios") + number(write, "total_ios");
        double runtimeSeconds = number(job, "job_runtime") / 1e3;
        double cpuSeconds = (number(job, "usr_cpu") + number(job, "sys_cpu")) / 100 * runtimeSeconds;
        double iops = number(read, "iops") + number(write, "iops");
        double bytesPerSecond = number(read, "bw_bytes") + number(write, "bw_bytes");
        return new Job((String) job.get("jobname"), iops, bytesPerSecond, cpuSeconds * 1e6 / ios);
    }

    private static double number(Map<?, ?> object, String name) {
        return object.get(name) instanceof Double d ? d : Double.NaN;
    }
}
