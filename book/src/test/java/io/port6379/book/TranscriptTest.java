// Replays every chapter's "Try it" transcripts with the real redis-cli, against our server and a real Redis.
package io.port6379.book;

import io.port6379.testing.Binaries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingSupplier;

import java.util.List;
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

    @TestFactory
    Stream<DynamicTest> transcriptsPrintTheSameOnOurServer() {
        return replayAll(ServerUnderTest::ours, "redis-cli");
    }

    @TestFactory
    Stream<DynamicTest> transcriptsPrintTheSameOnARealRedis() {
        return replayAll(ServerUnderTest::realRedis, "redis-cli", "redis-server");
    }

    private static Stream<DynamicTest> replayAll(ThrowingSupplier<ServerUnderTest> servers, String... binaries) {
        return transcripts().stream().map(transcript -> DynamicTest.dynamicTest(
                Chapters.name(transcript.chapter()) + " (" + transcript.steps().size() + " steps)", () -> {
                    for (String binary : binaries) {
                        Binaries.require(binary);
                    }
                    try (ServerUnderTest server = servers.get()) {
                        replay(transcript, server);
                    }
                }));
    }

    private static void replay(Transcript transcript, ServerUnderTest server) throws Exception {
        for (Transcript.Step step : transcript.steps()) {
            List<String> actual = RedisCli.run(step.arguments(), step.typed(), server.port());
            if (!actual.equals(step.expected())) {
                throw new AssertionError(step.where() + ", on " + server.name() + ": $ " + step.commandLine()
                        + "\nexpected:\n" + indent(step.expected()) + "\nactual:\n" + indent(actual));
            }
        }
    }

    private static String indent(List<String> lines) {
        return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines);
    }
}
