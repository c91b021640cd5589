// Proves the track's grader: every check passes on redis-server and on the reference, fails on empty servers.
package io.port6379.exercises.track;

import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.replication.Replication;
import io.port6379.testing.Binaries;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A check that passes on Redis and on the reference states a rule both follow; a check that fails on a server
 * that never answers cannot pass for want of an answer. Together they make every expectation of the track a
 * proven one. The last test is the participant's walk-through, with the model answer of {@link TrackAnswer}.
 */
class TrackTest {

    private static final int LAST = Track.stages().size();

    @Test
    void everyStagePassesOnRedisServer() throws Exception {
        Binaries.require("redis-server");
        ServerCommand redis = new ServerCommand("redis-server --save '' --appendonly no --bind 127.0.0.1",
                Path.of(System.getProperty("java.io.tmpdir")), Map.of());
        assertAllPass(redis);
    }

    /**
     * A stage's text states every error its checks expect (or an earlier stage's text does), so that nobody has to
     * read the grader to learn an exact string. Quoted names are compared as placeholders: the text may show
     * {@code 'Foo'} where a check sends {@code 'NOSUCH'}. (It reads the errors a passing run on the reference
     * expected, so it runs the reference once for both.)
     */
    @Test
    void everyStagePassesOnTheReferenceServerAndItsTextQuotesEveryErrorItExpects() throws Exception {
        Run run = assertAllPass(TrackTest::reference);
        Path stages = root().resolve("exercises/track");
        StringBuilder texts = new StringBuilder();
        List<String> missing = new ArrayList<>();
        for (Stage stage : Track.stages()) {
            Path text = stages.resolve(stage.textPath());
            assertTrue(Files.exists(text), "stage " + stage.id() + " has no text at " + text);
            texts.append(withoutQuotedNames(Files.readString(text).replaceAll("\\s+", " ")));
            for (TrackRun.Result result : run.report.of(stage.number())) {
                for (String error : result.expectedErrors()) {
                    if (!texts.toString().contains(withoutQuotedNames(error).strip())) {
                        missing.add(stage.id() + ": " + error);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "errors a stage expects that no text up to it quotes");
    }

    private static String withoutQuotedNames(String text) {
        return text.replaceAll("'[^' ]*'", "'…'");
    }

    @Test
    void everyCheckAfterStage01FailsOnAServerThatAcceptsAndNeverAnswers() throws Exception {
        Run run = run(TrackTest::silent, LAST, 50);
        assertTrue(run.report.stagePassed(1), "stage 01 asks only for a listening port:\n" + run.output);
        List<String> passed = passedAfterStage01(run.report);
        assertEquals(List.of(), passed, "checks that pass without a single reply:\n" + run.output);
    }

    @Test
    void everyCheckFailsOnTheEmptySkeleton() throws Exception {
        Path track = Files.createTempDirectory("track-skeleton");
        try {
            copyTree(root().resolve("exercises/track"), track);
            Map<String, String> config = TrackCheck.readConfig(track.resolve("track.conf"));
            String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
            Map<String, String> environment = Map.of("PATH", javaBin + ":" + System.getenv("PATH"));
            ProcessBuilder build = new ProcessBuilder("sh", "-c", config.get("build")).directory(track.toFile())
                    .redirectErrorStream(true);
            build.environment().putAll(environment);
            Process process = build.start();
            String buildOutput = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), "the skeleton builds with track.conf's build line:\n" + buildOutput);

            Run run = run(new ServerCommand(config.get("run"), track, environment), LAST, 50);
            assertEquals(List.of(), run.report.results().stream().filter(TrackRun.Result::passed)
                    .map(result -> result.behaviour().name()).toList(), run.output);
            assertTrue(run.output.contains("the server exited with code 0 before it listened on port"), run.output);
        } finally {
            TrackRun.deleteTree(track);
        }
    }

    /**
     * The walk-through: the model answer, started at each stage in turn, passes every stage up to its own and
     * fails the next one — so each stage's answer is really needed, and really enough.
     */
    @Test
    void theModelAnswerTurnsEachStageGreenInOrder() throws Exception {
        String classes = Path.of(TrackAnswer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder failures = new StringBuilder();
        for (int stage = 1; stage <= LAST; stage++) {
            ServerCommand answer = new ServerCommand(ServerCommand.shellQuote(java) + " -XX:TieredStopAtLevel=1 -cp "
                    + ServerCommand.shellQuote(classes) + " " + TrackAnswer.class.getName() + " --stage " + stage,
                    Path.of(System.getProperty("java.io.tmpdir")), Map.of());
            int green = stage;
            // Replies of the stages it passes may be slow on a loaded machine; the next stage must fail anyway,
            // so waiting there only makes the test slower.
            Run run = run(answer, Math.min(stage + 1, LAST), checked -> checked.number() <= green ? 5000 : 200);
            for (int earlier = 1; earlier <= stage; earlier++) {
                if (!run.report.stagePassed(earlier)) {
                    failures.append("the answer of stage ").append(stage).append(" fails stage ").append(earlier)
                            .append(":\n").append(run.output);
                }
            }
            if (stage < LAST && run.report.stagePassed(stage + 1)) {
                failures.append("the answer of stage ").append(stage).append(" already passes stage ")
                        .append(stage + 1).append(":\n").append(run.output);
            }
        }
        assertEquals("", failures.toString());
    }

    // --- servers -----------------------------------------------------------------------------------------------

    /** The reference, in this JVM, started as Main starts it. */
    private static ServerLauncher.Running reference(int port, List<String> arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
        all.addAll(arguments);
        RedisServer server = Port6379.server(ServerConfig.fromArguments(all.toArray(String[]::new)));
        server.start();
        Replication.of(server.context()).startFromConfig(); // --replicaof: connect once listening, as Main does
        return new ServerLauncher.Running() {
            @Override
            public String problem() {
                return null;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** A server that accepts every connection and never writes a byte. */
    private static ServerLauncher.Running silent(int port, List<String> arguments) throws IOException {
        ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket socket = listener.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });
        return new ServerLauncher.Running() {
            @Override
            public String problem() {
                return null;
            }

            @Override
            public void close() {
                try {
                    listener.close();
                    synchronized (accepted) {
                        for (Socket socket : accepted) {
                            socket.close();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    // --- running the grader ------------------------------------------------------------------------------------

    private record Run(TrackRun.Report report, String output) {
    }

    private static Run run(ServerLauncher launcher, int last, int timeoutMillis) throws Exception {
        return run(launcher, last, stage -> timeoutMillis);
    }

    private static Run run(ServerLauncher launcher, int last, ToIntFunction<Stage> timeoutMillis) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        TrackRun.Report report = TrackRun.run(launcher, last, timeoutMillis, new PrintStream(output, true, StandardCharsets.UTF_8));
        return new Run(report, output.toString(StandardCharsets.UTF_8));
    }

    private static Run assertAllPass(ServerLauncher launcher) throws Exception {
        Run run = run(launcher, LAST, 5000);
        assertTrue(run.report.passed(), run.output);
        assertTrue(run.output.contains("Stages 01 to " + LAST + ": " + run.report.results().size() + " of "), run.output);
        return run;
    }

    private static Path root() {
        return Path.of(System.getProperty("port6379.root", "..")).toAbsolutePath().normalize();
    }

    private static List<String> passedAfterStage01(TrackRun.Report report) {
        return report.results().stream().filter(result -> result.stage().number() > 1 && result.passed())
                .map(result -> result.stage().id() + " " + result.behaviour().name()).toList();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.filter(path -> !path.toString().contains("/target")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
