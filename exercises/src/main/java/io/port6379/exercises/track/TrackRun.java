// Runs the track's stages 1..N against one server under test and prints which behaviours pass, in order.
package io.port6379.exercises.track;

import io.port6379.exercises.track.Stage.Behaviour;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The grader's loop. Checking stage N runs every stage from 01 to N, since a later stage must not break an
 * earlier one, and reports every behaviour, passing or failing — never only the first failure.
 *
 * <p>One server serves the stages that need no setup of their own, the way a participant's server runs for
 * hours; it is started again at the next stage if it died, and a stage with a setup (the persistence stage's
 * dump file) gets a server of its own. A check has a hard deadline besides its read timeouts, so that a check
 * stuck on a misbehaving server fails instead of hanging the run.
 */
public final class TrackRun {

    /** How long one check may take in all, whatever it waits for. */
    private static final long CHECK_DEADLINE_MILLIS = 60_000;

    /**
     * One behaviour's outcome: {@code failure} is null when it passed; {@code expectedErrors} are the error replies
     * its check expected, up to where it stopped.
     */
    public record Result(Stage stage, Behaviour behaviour, String failure, List<String> expectedErrors) {
        public boolean passed() {
            return failure == null;
        }
    }

    /** Every behaviour's outcome, in the order they ran. */
    public record Report(List<Result> results) {

        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }

        /** Whether every behaviour of stage {@code number} passed. */
        public boolean stagePassed(int number) {
            return results.stream().filter(result -> result.stage().number() == number).allMatch(Result::passed);
        }

        /** The outcomes of stage {@code number}'s behaviours. */
        public List<Result> of(int number) {
            return results.stream().filter(result -> result.stage().number() == number).toList();
        }
    }

    private TrackRun() {
    }

    /**
     * Runs stages 1 to {@code lastStage} against servers {@code launcher} starts; prints the report to {@code out}.
     * {@code timeoutMillis} is how long a check waits for one reply.
     */
    public static Report run(ServerLauncher launcher, int lastStage, int timeoutMillis, PrintStream out)
            throws IOException, InterruptedException {
        return run(launcher, lastStage, stage -> timeoutMillis, out);
    }

    /**
     * The same, with a reply timeout per stage: a test that expects a stage to fail for want of replies need not
     * wait as long there as where it expects replies.
     */
    public static Report run(ServerLauncher launcher, int lastStage, ToIntFunction<Stage> timeoutMillis, PrintStream out)
            throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        Server server = null;
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Stage stage : Track.stages().subList(0, lastStage)) {
                out.println();
                out.println("Stage " + stage.id() + ": " + stage.title() + "   (chapter " + stage.chapter() + "; "
                        + stage.textPath() + ")");
                if (server == null || server.setup != stage.setup() || server.diedAfterListening()) {
                    if (server != null) {
                        server.close();
                    }
                    server = Server.start(launcher, stage.setup());
                    if (server.running.problem() != null) {
                        out.println("  the server did not start: " + server.running.problem());
                        printIndented(out, server.running.outputTail(), "    | ");
                    }
                }
                for (Behaviour behaviour : stage.behaviours()) {
                    boolean aliveBefore = server.running.problem() == null;
                    Check check = new Check(server.port, timeoutMillis.applyAsInt(stage), launcher);
                    String failure = check(checks, behaviour, check);
                    results.add(new Result(stage, behaviour, failure, check.expectedErrors()));
                    out.println("  " + (failure == null ? "PASS" : "FAIL") + "  " + behaviour.name());
                    if (failure != null) {
                        printIndented(out, failure, "          ");
                    }
                    if (aliveBefore && server.running.problem() != null) {
                        out.println("          " + server.running.problem() + " during this check; its last output:");
                        printIndented(out, server.running.outputTail(), "            | ");
                    }
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        Report report = new Report(results);
        summarize(report, lastStage, out);
        return report;
    }

    /** Runs one check on a thread of its own; returns null when it passed, else what went wrong. */
    private static String check(ExecutorService checks, Behaviour behaviour, Check check) throws InterruptedException {
        Future<?> run = checks.submit(() -> {
            try (check) {
                behaviour.body().run(check);
            }
            return null;
        });
        try {
            run.get(CHECK_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            run.cancel(true);
            check.close();
            return "the check did not finish within " + CHECK_DEADLINE_MILLIS / 1000 + " s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError) {
                return cause.getMessage();
            }
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
    }

    private static void summarize(Report report, int lastStage, PrintStream out) {
        long passed = report.results().stream().filter(Result::passed).count();
        out.println();
        out.println("Stages 01 to " + String.format("%02d", lastStage) + ": " + passed + " of " + report.results().size()
                + " behaviours pass.");
        report.results().stream().filter(result -> !result.passed()).findFirst().ifPresentOrElse(
                first -> out.println("Next: stage " + first.stage().id() + ", \"" + first.behaviour().name() + "\" (read "
                        + first.stage().textPath() + ")"),
                () -> {
                    if (lastStage < Track.stages().size()) {
                        Stage next = Track.stage(lastStage + 1);
                        out.println("Next: stage " + next.id() + ", " + next.title() + " (read " + next.textPath() + ")");
                    } else {
                        out.println("That is the whole track.");
                    }
                });
    }

    private static void printIndented(PrintStream out, String text, String indent) {
        text.lines().forEach(line -> out.println(indent + line));
    }

    /** A port the OS just handed out and took back: free, unless another process takes it first. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Deletes {@code directory} and everything in it; what is already gone is no error. */
    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }

    /** A started server, with the setup and the directory it was started for. */
    private static final class Server implements AutoCloseable {

        private final Stage.Setup setup;
        private final Path directory;
        private final int port;
        private final ServerLauncher.Running running;
        private final boolean listened;

        private Server(Stage.Setup setup, Path directory, int port, ServerLauncher.Running running) {
            this.setup = setup;
            this.directory = directory;
            this.port = port;
            this.running = running;
            this.listened = running.problem() == null;
        }

        static Server start(ServerLauncher launcher, Stage.Setup setup) throws IOException, InterruptedException {
            Path directory = Files.createTempDirectory("track-server");
            List<String> arguments = setup == null ? List.of() : setup.prepare(directory);
            int port = freePort();
            return new Server(setup, directory, port, launcher.start(port, arguments));
        }

        /** A server that served and then exited is started again; one that never started would not do better. */
        boolean diedAfterListening() {
            return listened && running.problem() != null;
        }

        @Override
        public void close() {
            running.close();
            deleteTree(directory);
        }
    }
}
