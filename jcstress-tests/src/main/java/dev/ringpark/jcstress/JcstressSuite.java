package dev.ringpark.jcstress;

import dev.ringpark.poller.Driver;
import dev.ringpark.poller.ladder.DriverLadder;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.runners.TestList;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The entry point of {@code jcstress.jar}: runs jcstress as its own {@code Main} does (same options,
 * same reports), then exits with status 1 unless every selected test ran and passed.
 *
 * <p>jcstress 0.16 reports a failure only by letting an {@link AssertionError} escape {@code main}
 * (which does give exit status 1), and only for tests that ran: it exits 0 when no test matched, when
 * no JVM configuration could start, when it skipped a test that has more actors than the machine has
 * CPUs (with one line in its log), and when a termination test recorded no sample, which is what a 0
 * ms iteration (sanity mode) gives. Each of these would let {@code mvn verify} pass having checked
 * nothing, so each fails the run here. When the mode gives 0 ms and no {@code -time} is passed, this
 * runs with {@value #MINIMUM_TIME_MS} ms. A test whose actors hang (a lost wake-up) fails through
 * jcstress's own timeouts, or through the {@link Watchdog} where jcstress has none.
 *
 * <p>The forked JVMs get {@code --enable-native-access=ALL-UNNAMED} (the end-to-end tests drive
 * io_uring through the FFM API) and {@code --enable-preview} (one test uses
 * {@code StructuredTaskScope}) unless the command line already sets {@code -jvmArgsPrepend}.
 *
 * <p>A test marked {@link NeedsDriver} whose driver the kernel refuses here (io_uring under
 * {@code kernel.io_uring_disabled}, say) is left out of the run with a line saying so, and the verdict
 * judges the rest: it could only fail, and would say nothing about the protocol.
 */
public final class JcstressSuite {
    private static final String PREPEND_OPTION = "-jvmArgsPrepend";
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** StructuredTaskScope, which ScopeCancellationRacingCompletion uses, is a preview API in JDK 25. */
    private static final String ENABLE_PREVIEW = "--enable-preview";
    private static final String TIME_OPTION = "-time";
    private static final String FILTER_OPTION = "-t";
    /** The ring size a driver is tried with: {@link PollerWakeUp}'s. */
    private static final int PROBE_ENTRIES = 8;
    /**
     * Milliseconds per iteration when the mode gives none. Sanity mode's 0 runs no round at all of a
     * {@code Mode.Termination} test (jcstress loops "until the iteration time is up", and a round takes
     * a millisecond or more); 50 ms gives each a few dozen rounds per JVM configuration.
     */
    private static final String MINIMUM_TIME_MS = "50";

    private JcstressSuite() {
    }

    public static void main(String[] args) throws Exception {
        String[] effective = withNativeAccess(args);
        Options options = new Options(effective);
        if (!options.parse()) {
            System.exit(1);
        }
        if (options.getTime() == 0 && Arrays.stream(args).noneMatch(TIME_OPTION::equals)) {
            System.out.println("Ringpark: this mode gives 0 ms per iteration, in which termination tests run no "
                    + "round; running with " + TIME_OPTION + " " + MINIMUM_TIME_MS + " (pass " + TIME_OPTION
                    + " to choose).");
            effective = append(effective, TIME_OPTION, MINIMUM_TIME_MS);
            options = new Options(effective);
            if (!options.parse()) {
                System.exit(1);
            }
        }
        JCStress jcstress = new JCStress(options);
        if (options.shouldList()) {
            jcstress.getTests().forEach(System.out::println);
            return;
        }
        if (!options.shouldParse()) {
            Map<String, String> unrunnable = unrunnable(jcstress.getTests());
            unrunnable.forEach((test, why) -> System.out.println("RINGPARK JCSTRESS SKIPPED " + test + ": " + why));
            if (!unrunnable.isEmpty()) {
                SortedSet<String> runnable = new TreeSet<>(jcstress.getTests());
                runnable.removeAll(unrunnable.keySet());
                if (runnable.isEmpty()) {
                    System.out.println("RINGPARK JCSTRESS VERDICT: every selected test needs a driver refused here.");
                    return;
                }
                options = new Options(onlyThese(effective, runnable));
                if (!options.parse()) {
                    System.exit(1);
                }
                jcstress = new JCStress(options);
            }
        }
        boolean forbiddenOrErrors = false;
        try {
            if (options.shouldParse()) {
                jcstress.parseResults();
            } else {
                jcstress.run();
            }
        } catch (AssertionError failures) {
            // jcstress's way of saying that a test saw a forbidden outcome, erred, timed out or crashed.
            System.out.println(failures.getMessage());
            forbiddenOrErrors = true;
        }
        List<String> problems = problems(options, options.shouldParse() ? null : jcstress.getTests());
        if (forbiddenOrErrors && problems.isEmpty()) {
            problems.add("jcstress reported the failures listed above");
        }
        if (problems.isEmpty()) {
            System.out.println("RINGPARK JCSTRESS VERDICT: every test ran and passed.");
            return;
        }
        System.out.println("RINGPARK JCSTRESS VERDICT: " + problems.size() + " problem(s):");
        problems.forEach(problem -> System.out.println("  " + problem));
        System.exit(1);
    }

    /** {@code args} with the test filter replaced by one that matches exactly {@code tests}. */
    private static String[] onlyThese(String[] args, SortedSet<String> tests) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(FILTER_OPTION)) {
                i++; // and its value
            } else {
                kept.add(args[i]);
            }
        }
        String filter = tests.stream().map(Pattern::quote).collect(Collectors.joining("|", "^(?:", ")$"));
        return append(kept.toArray(String[]::new), FILTER_OPTION, filter);
    }

    /**
     * The selected tests marked {@link NeedsDriver} whose driver the kernel refuses here, each with the
     * reason. A driver is tried once, by creating it and closing it again on this thread.
     */
    private static Map<String, String> unrunnable(Collection<String> tests) {
        Map<DriverLadder.Rung, String> refusals = new EnumMap<>(DriverLadder.Rung.class);
        Map<String, String> unrunnable = new TreeMap<>();
        for (String test : tests) {
            NeedsDriver needs = testClass(test).getAnnotation(NeedsDriver.class);
            if (needs == null) {
                continue;
            }
            String refusal = refusals.computeIfAbsent(needs.value(), rung -> {
                Driver driver;
                try {
                    driver = DriverLadder.forced(rung, new DriverLadder.Settings(PROBE_ENTRIES, 1, 0)).get();
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
                driver.close();
                return "";
            });
            if (!refusal.isEmpty()) {
                unrunnable.put(test, "needs " + needs.value().label() + ": " + refusal);
            }
        }
        return unrunnable;
    }

    /** The class of a test named as jcstress names it: nested classes joined with dots. */
    private static Class<?> testClass(String test) {
        String name = test;
        for (;;) {
            try {
                return Class.forName(name, false, JcstressSuite.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                int dot = name.lastIndexOf('.');
                if (dot < 0) {
                    throw new IllegalStateException("no class for the test " + test, e);
                }
                name = name.substring(0, dot) + '$' + name.substring(dot + 1);
            }
        }
    }

    private static String[] withNativeAccess(String[] args) {
        boolean prependGiven = Arrays.stream(args).anyMatch(arg -> arg.startsWith(PREPEND_OPTION));
        return prependGiven ? args : append(args, PREPEND_OPTION, NATIVE_ACCESS, PREPEND_OPTION, ENABLE_PREVIEW);
    }

    private static String[] append(String[] args, String... more) {
        String[] extended = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, extended, args.length, more.length);
        return extended;
    }

    /**
     * What went wrong, one line per test; empty when all is well.
     *
     * @param selected the tests that should have results, or {@code null} to judge only those present
     */
    private static List<String> problems(Options options, SortedSet<String> selected) throws Exception {
        List<String> problems = new ArrayList<>();
        Collection<TestResult> results;
        try {
            results = read(options.getResultFile());
        } catch (FileNotFoundException e) {
            problems.add("no results at all: jcstress wrote no " + options.getResultFile()
                    + " (no matching test, or no JVM configuration to run with)");
            return problems;
        }
        Map<String, TestResult> byName = new HashMap<>();
        for (TestResult result : ReportUtils.mergedByName(results)) {
            byName.put(result.getName(), result);
        }
        for (String test : selected != null ? selected : byName.keySet()) {
            TestResult result = byName.get(test);
            if (result == null) {
                int actors = TestList.getInfo(test).threads();
                problems.add(test + ": DID NOT RUN" + (actors > options.getCPUCount()
                        ? " (it has " + actors + " actors; jcstress runs at most " + options.getCPUCount() + ")"
                        : ""));
            } else if (!ReportUtils.statusToPassed(result)) {
                problems.add(test + ": " + ReportUtils.statusToLabel(result));
            } else if (result.getTotalCount() == 0) {
                problems.add(test + ": NOT EXERCISED (no sample in any configuration; is " + TIME_OPTION + " 0?)");
            }
        }
        return problems;
    }

    private static Collection<TestResult> read(String resultFile) throws Exception {
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile, collector);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        return collector.getTestResults();
    }
}
