// Runs one stage's reference tests in this JVM and prints, behaviour by behaviour, what passes and what fails.
package io.port6379.exercises;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child JVM of {@link StageCheck}. Its class path decides whose code is graded: the participant's stage
 * classes come first, so the unchanged reference tests load them instead of the reference classes.
 *
 * <p>Usage: {@code StageTestRun <root> <stage> [--summary <file>] [--verbose] [--no-shrinking] [--only A,B]}.
 * {@code --only} keeps, of the stage's test classes, those of these simple names. Exit code 0
 * when every behaviour passes, 1 otherwise. The summary file has one line per behaviour:
 * {@code PASS|FAIL <tab> class <tab> method <tab> exception classes, outermost first}, then one per exception
 * thrown on another thread: {@code THREAD <tab> thread name <tab> - <tab> exception classes}.
 */
public final class StageTestRun {

    /** One test method (all its invocations, for parameterized tests and properties). */
    private static final class Behaviour {
        final String className;
        final String method;
        Throwable failure;
        boolean ran;
        boolean skipped;
        /** For a parameterized test: how many cases ran and passed, and the first that failed. */
        int cases;
        int casesPassed;
        String firstFailingCase;
        /** For a failed property: the (shrunk) sample jqwik reports, which is the input to debug with. */
        final List<String> sample = new ArrayList<>();

        Behaviour(String className, String method) {
            this.className = className;
            this.method = method;
        }
    }

    /** jqwik logs its after-failure handling through java.util.logging; kept here so the setting is not collected. */
    private static final java.util.logging.Logger JQWIK_LOG = java.util.logging.Logger.getLogger("net.jqwik");

    private final Path root;
    private final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    /** The behaviour whose test is running; the culprit if the JVM itself fails. */
    private Behaviour running;
    private VirtualMachineError stoppedBy;
    /** Exceptions no test saw: thrown on threads the code under test started, e.g. a server's connection threads. */
    private final List<Map.Entry<String, Throwable>> threadFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    private StageTestRun(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Stage stage = Stage.byId(root, args[1]);
        Path summary = null;
        boolean verbose = false;
        boolean shrinking = true;
        List<String> only = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--summary" -> summary = Path.of(args[++i]);
                case "--verbose" -> verbose = true;
                case "--no-shrinking" -> shrinking = false;
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> testClasses = stage.testClassNames(root);
        if (only != null) {
            List<String> wanted = only;
            testClasses = testClasses.stream().filter(name -> wanted.contains(simpleName(name))).toList();
        }
        if (testClasses.isEmpty()) {
            System.out.println("No test class of " + stage.testModule() + " matches " + stage.testPatterns());
            System.exit(1);
        }
        JQWIK_LOG.setLevel(java.util.logging.Level.WARNING);
        StageTestRun run = new StageTestRun(root);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> run.threadFailures.add(Map.entry(thread.getName(), e)));
        // JUnit's output capture is per thread, and the tests run in timeout threads of their own: what the code
        // under test prints (a server's log, a skeleton's stack traces) is dropped here, or it would bury the report.
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            run.execute(stage, testClasses, shrinking);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        boolean allPass = run.report(stage, testClasses, verbose);
        if (summary != null) {
            run.writeSummary(summary);
        }
        System.exit(allPass ? 0 : 1);
    }

    private void execute(Stage stage, List<String> testClasses, boolean shrinking) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        testClasses.forEach(name -> selectors.add(DiscoverySelectors.selectClass(name)));
        // jqwik cannot create its database's directory: `check NN --reference` before any compile has none yet.
        try {
            java.nio.file.Files.createDirectories(root.resolve("exercises/target/stages").resolve(stage.id()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                // A participant's endless loop fails its test after 10 s instead of hanging the whole check.
                .configurationParameter("junit.jupiter.execution.timeout.default", "10 s")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                // A participant's OutOfMemoryError or StackOverflowError fails one test instead of the whole run.
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                // What the code under test prints (a server's log) would bury the report.
                .configurationParameter("junit.platform.output.capture.stdout", "true")
                .configurationParameter("junit.platform.output.capture.stderr", "true")
                // jqwik's failure reports (with the shrunk sample) come to the listener instead of stdout.
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                // Shrinking finds the smallest failing sample, which a participant wants and a skeleton run does not.
                .configurationParameter("jqwik.shrinking.default", shrinking ? "BOUNDED" : "OFF")
                .configurationParameter("jqwik.database",
                        root.resolve("exercises/target/stages").resolve(stage.id()).resolve("jqwik-database").toString())
                .build();
        try {
            LauncherFactory.create().execute(request, listener());
        } catch (VirtualMachineError e) {
            // jqwik, like JUnit, rethrows these; the behaviours after this one stay "not run".
            if (running != null) {
                running.ran = true;
                running.failure = e;
            }
            stoppedBy = e;
        }
    }

    private TestExecutionListener listener() {
        return new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
                // Every behaviour is listed from the start, so one that never ran still counts as not passing.
                for (TestIdentifier root : testPlan.getRoots()) {
                    for (TestIdentifier id : testPlan.getDescendants(root)) {
                        methodOf(testPlan, id).ifPresent(m -> behaviour(m.getClassName(), m.getMethodName()));
                    }
                }
            }

            @Override
            public void executionStarted(TestIdentifier id) {
                methodOf(plan, id).ifPresent(m -> running = behaviour(m.getClassName(), m.getMethodName()));
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                methodOf(plan, id).ifPresent(m -> behaviour(m.getClassName(), m.getMethodName()).skipped = true);
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                Optional<MethodSource> method = methodOf(plan, id);
                if (method.isEmpty()) {
                    return;
                }
                Behaviour behaviour = behaviour(method.get().getClassName(), method.get().getMethodName());
                for (String value : entry.getKeyValuePairs().values()) {
                    List<String> lines = value.lines().toList();
                    // jqwik writes "Shrunk Sample (n steps)" when it could shrink, else "Sample"; a dashed line follows.
                    int start = -1;
                    for (int i = 0; i < lines.size() && start < 0; i++) {
                        if (lines.get(i).equals("Sample") || lines.get(i).startsWith("Shrunk Sample")) {
                            start = i;
                        }
                    }
                    if (start >= 0 && behaviour.sample.isEmpty()) {
                        lines.stream().skip(start + 2).takeWhile(line -> !line.isBlank()).forEach(behaviour.sample::add);
                    }
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                Optional<MethodSource> method = methodOf(plan, id);
                if (method.isPresent()) {
                    Behaviour behaviour = behaviour(method.get().getClassName(), method.get().getMethodName());
                    behaviour.ran = true;
                    boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                    if (id.isTest()) {
                        behaviour.cases++;
                        behaviour.casesPassed += passed ? 1 : 0;
                        if (!passed && behaviour.firstFailingCase == null) {
                            behaviour.firstFailingCase = id.getDisplayName();
                        }
                    }
                    if (!passed && behaviour.failure == null) {
                        behaviour.failure = result.getThrowable().orElseGet(() -> new AssertionError("aborted"));
                    }
                } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    // A class or an engine that failed as a whole: its set-up, or loading the class itself.
                    String where = id.getSource().filter(ClassSource.class::isInstance)
                            .map(source -> ((ClassSource) source).getClassName()).orElse(id.getDisplayName());
                    Behaviour behaviour = behaviour(where, "(set-up)");
                    behaviour.ran = true;
                    behaviour.failure = result.getThrowable().orElseGet(() -> new AssertionError("failed"));
                }
            }
        };
    }

    private Behaviour behaviour(String className, String method) {
        return behaviours.computeIfAbsent(className + "#" + method, key -> new Behaviour(className, method));
    }

    private static Optional<MethodSource> methodOf(TestPlan plan, TestIdentifier id) {
        for (TestIdentifier current = id; current != null; current = plan.getParent(current).orElse(null)) {
            Optional<TestSource> source = current.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource method) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }

    /** Prints the report, test class by test class, behaviours in the order they are written; true if all pass. */
    private boolean report(Stage stage, List<String> testClasses, boolean verbose) throws IOException {
        int passed = 0;
        int total = 0;
        Behaviour firstFailure = null;
        // The stage's test classes in order, then anything else that failed (an engine that could not start).
        List<String> groups = new ArrayList<>(testClasses);
        behaviours.values().stream().map(behaviour -> topLevel(behaviour.className))
                .filter(name -> !groups.contains(name)).distinct().forEach(groups::add);
        for (String testClass : groups) {
            List<Behaviour> ofClass = new ArrayList<>();
            for (Behaviour behaviour : behaviours.values()) {
                if (topLevel(behaviour.className).equals(testClass) && !behaviour.skipped) {
                    ofClass.add(behaviour);
                }
            }
            if (ofClass.isEmpty()) {
                continue;
            }
            String source = readSource(stage, testClass);
            ofClass.sort((a, b) -> Integer.compare(position(source, a), position(source, b)));
            System.out.println();
            System.out.println(simpleName(testClass));
            for (Behaviour behaviour : ofClass) {
                total++;
                if (!behaviour.ran) {
                    System.out.println("  ----  " + describe(behaviour) + " (not run)");
                } else if (behaviour.failure == null) {
                    passed++;
                    System.out.println("  PASS  " + describe(behaviour));
                } else {
                    if (firstFailure == null) {
                        firstFailure = behaviour;
                    }
                    System.out.println("  FAIL  " + describe(behaviour));
                    if (behaviour.cases > 1) {
                        System.out.printf("          %d of %d cases pass; the first failing: %s%n",
                                behaviour.casesPassed, behaviour.cases, behaviour.firstFailingCase);
                    }
                    System.out.println("          " + reason(behaviour.failure));
                    behaviour.sample.forEach(line -> System.out.println("          sample:" + line));
                    if (verbose) {
                        StringWriter trace = new StringWriter();
                        behaviour.failure.printStackTrace(new PrintWriter(trace));
                        trace.toString().lines().limit(30).forEach(line -> System.out.println("          " + line));
                    }
                }
            }
        }
        if (!threadFailures.isEmpty()) {
            // A server runs the stage's class on its own threads: the tests see a closed connection, not why.
            Map<String, Integer> reasons = new LinkedHashMap<>();
            threadFailures.forEach(failure -> reasons.merge(reason(failure.getValue()), 1, Integer::sum));
            System.out.println();
            System.out.println("Thrown on threads of the code under test (a server's connection threads, for instance):");
            reasons.forEach((reason, count) -> System.out.println("  " + count + " x " + reason));
        }
        System.out.println();
        if (stoppedBy != null) {
            System.out.println("The run stopped at " + stoppedBy + ": the behaviours marked (not run) were not tried.");
        }
        System.out.printf("Stage %s, %s: %d of %d behaviours pass.%n", stage.id(), stage.title(), passed, total);
        if (firstFailure != null && testClasses.contains(topLevel(firstFailure.className))) {
            System.out.println("Next: " + simpleName(firstFailure.className) + "." + firstFailure.method
                    + " in " + root.relativize(stage.testSourceOf(root, topLevel(firstFailure.className))));
        }
        return total > 0 && passed == total;
    }

    private void writeSummary(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Behaviour behaviour : behaviours.values()) {
            if (!behaviour.ran) {
                continue;
            }
            lines.add((behaviour.failure == null ? "PASS" : "FAIL") + "\t" + behaviour.className + "\t"
                    + behaviour.method + "\t" + chain(behaviour.failure));
        }
        for (Map.Entry<String, Throwable> failure : threadFailures) {
            lines.add("THREAD\t" + failure.getKey() + "\t-\t" + chain(failure.getValue()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }

    /** The exception's class and its causes' classes, outermost first, separated by spaces. */
    private static String chain(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(chain.isEmpty() ? "" : " ").append(t.getClass().getName());
        }
        return chain.toString();
    }

    private String readSource(Stage stage, String testClass) throws IOException {
        Path file = stage.testSourceOf(root, testClass);
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }

    /** Where the method is declared in the test's source: the chapter's order is the order tests are written in. */
    private static int position(String source, Behaviour behaviour) {
        Matcher matcher = Pattern.compile("\\b" + Pattern.quote(behaviour.method) + "\\s*\\(").matcher(source);
        return matcher.find() ? matcher.start() : Integer.MAX_VALUE;
    }

    /** {@code lpopOnMissingKeyReturnsNil} reads "lpop on missing key returns nil". */
    private static String describe(Behaviour behaviour) {
        String words = behaviour.method
                .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1 $2")
                .replaceAll("([a-z])([0-9])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
        int nested = behaviour.className.lastIndexOf('$');
        return nested < 0 ? words : behaviour.className.substring(nested + 1) + ": " + words;
    }

    /** The line that tells the participant what to do: the skeleton's own hint when it is still unwritten. */
    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException && t.getMessage() != null && t.getMessage().startsWith("exercise")) {
                return "not written yet: " + t.getMessage();
            }
        }
        List<String> lines = String.valueOf(failure.getMessage()).lines().filter(line -> !line.isBlank()).toList();
        String message = lines.isEmpty() ? "" : lines.getFirst();
        if (message.endsWith(":") && lines.size() > 1) {
            message += " " + lines.get(1).strip(); // "...critical issue during test discovery:" says what next
        }
        if (message.length() > 240) {
            message = message.substring(0, 240) + "...";
        }
        return failure.getClass().getSimpleName() + ": " + message;
    }

    /** The top-level class of a possibly nested one: {@code FooTest$Nested} is in {@code FooTest}. */
    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
