// Replays every chapter's "Try it" transcripts with the real redis-cli, against our server and a real Redis.
package io.port6379.book;

import io.port6379.testing.Binaries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A transcript in the book is a promise to the reader: type this, see that. Each chapter's transcripts are
 * replayed in order on a fresh, empty server (so a chapter may build on its own earlier steps, never on another
 * chapter's), and the first step whose output differs fails that chapter with the file, the line, the command,
 * and both outputs. The real redis-server run proves that the expected output is what Redis prints; the run
 * on our server proves that we print the same.
 */
class TranscriptTest {

    private static List<Transcript> transcripts() {
        return Chapters.chapterFiles().stream()
                .map(f -> Transcript.parse(f, Chapters.lines(f)))
                .filter(t -> !t.steps().isEmpty())
                .toList();
    }

    /**
     * Starts a fresh server, with a tls-port using the certificates in the given directory unless it is null, and in
     * cluster mode when {@code cluster} is true.
     */
    interface Starter {
        ServerUnderTest start(Path certificates, boolean cluster) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> transcriptsPrintTheSameOnOurServer() {
        return replayAll(ServerUnderTest::ours, "redis-cli");
    }

    @TestFactory
    Stream<DynamicTest> transcriptsPrintTheSameOnARealRedis() {
        return replayAll(ServerUnderTest::realRedis, "redis-cli", "redis-server");
    }

    private static Stream<DynamicTest> replayAll(Starter servers, String... binaries) {
        return transcripts().stream().map(transcript -> DynamicTest.dynamicTest(
                Chapters.name(transcript.chapter()) + " (" + transcript.steps().size() + " steps)", () -> {
                    for (String binary : binaries) {
                        Binaries.require(binary);
                    }
                    replay(transcript, servers);
                }));
    }

    /**
     * Runs the steps in order in a fresh directory, the reader's current one: openssl steps make their files there,
     * and the server is started at the first redis-cli step, with a tls-port on the certificates made by then when
     * some step uses {@code --tls}. A step of a {@code server=cluster} block after one of another block (or the other
     * way round) is run on a fresh server of its kind.
     */
    private static void replay(Transcript transcript, Starter servers) throws Exception {
        Path directory = Files.createTempDirectory("chapter");
        ServerUnderTest server = null;
        boolean clusterServer = false;
        try {
            for (Transcript.Step step : transcript.steps()) {
                if (!step.isRedisCli()) {
                    runOpenssl(step, directory);
                    continue;
                }
                if (server != null && clusterServer != step.cluster()) {
                    server.close();
                    server = null;
                }
                if (server == null) {
                    server = servers.start(transcript.usesTls() ? directory : null, step.cluster());
                    clusterServer = step.cluster();
                }
                List<String> actual = RedisCli.run(step.arguments(), step.typed(), server.port(), server.tlsPort(), directory);
                if (!actual.equals(step.expected())) {
                    throw new AssertionError(step.where() + ", on " + server.name() + ": $ " + step.commandLine()
                            + "\nexpected:\n" + indent(step.expected()) + "\nactual:\n" + indent(actual));
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void runOpenssl(Transcript.Step step, Path directory) throws Exception {
        List<String> command = new ArrayList<>(List.of(Binaries.require("openssl").toString()));
        command.addAll(step.arguments());
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(step.where() + ": $ " + step.commandLine() + " failed:\n" + output);
        }
    }

    private static String indent(List<String> lines) {
        return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines);
    }
}
