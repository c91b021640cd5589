// Runs one bench/ script from the repository root for BenchScriptsTest, and makes sure nothing it started outlives it.
package io.port6379.book;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One run of a bench/ script, with the settings given by {@link #with}. The scripts start servers in the
 * background and stop them from an EXIT trap; a daemonized redis-server is no descendant of the script (it
 * forks and calls setsid), so {@link Process#descendants()} alone cannot find it. Two traces find them all: every
 * process the script starts inherits its environment, where the run puts a marker of its own, and a redis-server
 * (which writes its process title over that environment) runs in its {@code --dir}, a mktemp -d directory under
 * the run's TMPDIR. Once the script is done, a process with either trace in /proc is a broken cleanup trap, and
 * fails the run (after it has been killed).
 */
final class BenchScript {

    /** The scripts' knobs: cleared from the inherited environment, so that only {@link #with} settings count. */
    private static final List<String> KNOBS = List.of("ROUNDS", "TESTS", "PIPELINES", "REQUESTS", "REQUESTS_P16",
            "KEYS", "RUNS", "VARIANTS", "OUT", "JAR", "CLIENTS", "OURS_JAVA_OPTS", "SYSCALL_PIPELINE",
            "SYSCALL_REQUESTS", "UNITS", "LOGS", "UNIT_TIMEOUT");

    /** Shorter than the tests' @Timeout, so that a hung script is reported with its output. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(100);

    /** How long servers may take to exit after the script's trap signalled them. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Path root;
    private final Path work;
    private final Map<String, String> settings = new LinkedHashMap<>();

    /** A run from the repository {@code root}; its output, and the scripts' mktemp -d directories, go to {@code work}. */
    BenchScript(Path root, Path work) {
        this.root = root;
        this.work = work;
    }

    BenchScript with(String knob, String value) {
        settings.put(knob, value);
        return this;
    }

    /** What the script printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {

        /** The end of both streams, for assertion messages. */
        String tail() {
            return "\n--- stdout ---\n" + last(stdout) + "\n--- stderr ---\n" + last(stderr);
        }

        private static String last(String text) {
            return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
        }
    }

    /**
     * Runs {@code command} (e.g. {@code bash bench/startup}) in the repository root and waits for it. Fails if it
     * runs longer than {@link #RUN_TIMEOUT} or leaves a process running; either way everything it started is
     * stopped first.
     */
    Result run(String... command) throws IOException, InterruptedException {
        String marker = "PORT6379_BENCH_TEST_RUN=" + UUID.randomUUID();
        Path tmp = Files.createDirectories(work.resolve("tmp")).toRealPath();
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        KNOBS.forEach(environment::remove);
        environment.putAll(settings);
        // bench/lib.sh's find_java21 takes $JAVA_HOME first: the scripts run the JDK these tests run on.
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // The scripts' mktemp -d work directories (and redis-server's --dir) land in the test's temporary directory.
        environment.put("TMPDIR", tmp.toString());
        environment.put(marker.substring(0, marker.indexOf('=')), marker.substring(marker.indexOf('=') + 1));

        Process script = builder.start();
        boolean finished;
        try {
            finished = script.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException timedOutByJUnit) {
            stop(script);
            killLeftovers(marker, tmp);
            throw timedOutByJUnit;
        }
        if (!finished) {
            stop(script);
            killLeftovers(marker, tmp);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_TIMEOUT.toSeconds()
                    + " s" + result(script, stdout, stderr).tail());
        }
        List<String> leftovers = killLeftovers(marker, tmp);
        Result result = result(script, stdout, stderr);
        if (!leftovers.isEmpty()) {
            throw new AssertionError(String.join(" ", command) + " left processes running (now killed): "
                    + leftovers + result.tail());
        }
        return result;
    }

    private static Result result(Process script, Path stdout, Path stderr) throws IOException {
        return new Result(script.isAlive() ? -1 : script.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** SIGTERM first, so that the script's EXIT trap stops its servers; then SIGKILL for whatever is left. */
    private static void stop(Process script) throws InterruptedException {
        List<ProcessHandle> descendants = script.descendants().toList();
        script.destroy();
        script.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);
        descendants.forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
        script.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Waits up to {@link #GRACE} for the run's processes to exit (a server signalled by the trap takes a moment),
     * kills those that do not, and describes them.
     */
    private static List<String> killLeftovers(String marker, Path tmp) throws InterruptedException {
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> leftovers = startedBy(marker, tmp);
        while (!leftovers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            leftovers = startedBy(marker, tmp);
        }
        List<String> killed = new ArrayList<>();
        for (ProcessHandle leftover : leftovers) {
            killed.add(leftover.pid() + " " + leftover.info().commandLine().orElse("?"));
            leftover.destroyForcibly();
        }
        return killed;
    }

    /** The live processes whose environment holds {@code marker} or whose working directory is under {@code tmp}. */
    private static List<ProcessHandle> startedBy(String marker, Path tmp) {
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> hasInEnvironment(p, marker) || worksUnder(p, tmp)).filter(ProcessHandle::isAlive).toList();
    }

    private static boolean hasInEnvironment(ProcessHandle process, String marker) {
        try {
            String environ = Files.readString(proc(process, "environ"), StandardCharsets.ISO_8859_1);
            return List.of(environ.split("\0")).contains(marker);
        } catch (IOException | SecurityException goneOrNotOurs) {
            return false;
        }
    }

    private static boolean worksUnder(ProcessHandle process, Path tmp) {
        try {
            return Files.readSymbolicLink(proc(process, "cwd")).startsWith(tmp);
        } catch (IOException | SecurityException goneOrNotOurs) {
            return false;
        }
    }

    private static Path proc(ProcessHandle process, String file) {
        return Path.of("/proc", Long.toString(process.pid()), file);
    }
}
