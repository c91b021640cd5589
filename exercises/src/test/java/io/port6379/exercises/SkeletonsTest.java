// What CI guarantees for every stage of stages.conf: the skeleton compiles, keeps the reference's API, and is unsolved.
package io.port6379.exercises;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The skeletons are kept in step with the reference by these checks, run on every {@code mvn verify}. That the
 * stage's tests pass against the reference is proved by the reference module's own build, which runs them.
 */
class SkeletonsTest {

    private static final Path ROOT = Path.of(System.getProperty("port6379.root")).toAbsolutePath().normalize();

    private final Map<String, StageCompiler.Result> compiled = new ConcurrentHashMap<>();

    @Test
    void everyStageDirectoryIsListedInStagesConf() throws IOException {
        List<String> listed = Stage.all(ROOT).stream().map(Stage::directory).sorted().toList();
        try (Stream<Path> entries = Files.list(ROOT.resolve("exercises"))) {
            List<String> onDisk = entries.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("stage")).sorted().toList();
            assertEquals(onDisk, listed);
        }
    }

    /** The chapters without a stage, and why: every other chapter has one, numbered as the chapter. */
    private static final Map<String, String> NO_STAGE = Map.of(
            "00", "no code: its exercise runs exercises/check 01 --reference",
            "15", "a method of measurement, not a component: its exercise measures stage 08b against the reference",
            "16", "no code: history, licences, clients and neighbouring servers");

    @Test
    void everyChapterHasItsStageAndNamesIt() throws IOException {
        List<Stage> stages = Stage.all(ROOT);
        List<String> problems = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("chapters"))) {
            for (Path chapter : files.filter(path -> path.getFileName().toString().matches("[0-9]{2}-.*\\.adoc")).sorted().toList()) {
                String number = chapter.getFileName().toString().substring(0, 2);
                List<Stage> own = stages.stream().filter(stage -> stage.id().startsWith(number)).toList();
                if (own.isEmpty() && !NO_STAGE.containsKey(number)) {
                    problems.add(chapter.getFileName() + " has no stage numbered " + number + " in stages.conf");
                }
                String text = Files.readString(chapter);
                for (Stage stage : own) {
                    if (!text.contains("exercises/check " + stage.id() + " ") && !text.contains("exercises/check " + stage.id() + "`")) {
                        problems.add(chapter.getFileName() + " does not set its stage's exercise: `exercises/check " + stage.id() + "`");
                    }
                }
            }
        }
        for (Stage stage : stages) {
            if (!stage.id().matches("[0-9]{2}[a-z]?") || !stage.directory().startsWith("stage" + stage.id() + "-")) {
                problems.add("stage " + stage.id() + " in " + stage.directory() + ": a stage is NN or NNb, in stageNN-name");
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @TestFactory
    Stream<DynamicNode> everyStage() {
        return Stage.all(ROOT).stream().map(stage -> dynamicContainer("stage " + stage.id() + ", " + stage.title(), Stream.of(
                dynamicTest("skeleton compiles against the reference", () -> compile(stage)),
                dynamicTest("skeleton keeps the reference's API", () -> {
                    compile(stage);
                    assertEquals(List.of(), stage.ownClasses(ROOT),
                            "skeleton classes without a reference class of the same name");
                    List<String> differences = StageCheck.apiDifferences(ROOT, stage, getClass().getClassLoader());
                    assertTrue(differences.isEmpty(), () -> "exercises/" + stage.directory()
                            + " has drifted from the reference:\n" + String.join("\n", differences));
                }),
                dynamicTest("skeleton still fails its stage's tests, for want of code", () -> {
                    compile(stage);
                    assertFailsForWantOfCode(stage);
                }))));
    }

    private void compile(Stage stage) {
        StageCompiler.Result result = compiled.computeIfAbsent(stage.id(), id -> StageCompiler.compile(ROOT, stage,
                String.join(File.pathSeparator, StageCheck.referenceClassPath(ROOT))));
        assertTrue(result.success(), result::messages);
    }

    /**
     * Runs the stage's tests with the skeleton first on the class path. Some must fail with the skeleton's own
     * "exercise NN" exception (proof that the skeleton, not the reference, was graded), and none may fail to
     * link (a test calling a method the skeleton lacks, or a class missing from the class path).
     */
    private static void assertFailsForWantOfCode(Stage stage) throws IOException, InterruptedException {
        assertFalse(stage.testClassNames(ROOT).isEmpty(), () -> "no test class of " + stage.testModule()
                + " matches " + stage.testPatterns());
        Path summary = ROOT.resolve("exercises/target/stages").resolve(stage.id()).resolve("skeleton-summary.tsv");
        Files.deleteIfExists(summary);
        Path log = ROOT.resolve("exercises/target/stages").resolve(stage.id()).resolve("skeleton-check.log");
        Process run = new ProcessBuilder(StageCheck.command(ROOT, stage, false,
                List.of("--summary", summary.toString(), "--no-shrinking")))
                .directory(stage.moduleDirectory(ROOT).toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(120, TimeUnit.SECONDS)) {
            run.destroyForcibly();
            fail("stage " + stage.id() + "'s tests did not finish within 120 s against the skeleton; see " + log);
        }
        assertEquals(1, run.exitValue(), () -> "exit code of the stage's tests against the skeleton; see " + log);
        List<String> lines = Files.readAllLines(summary);
        String unwritten = "java.lang.UnsupportedOperationException";
        // A server runs some stages' classes on its own threads (stage 08b's connection loop): there the skeleton's
        // exception reaches the uncaught-exception handler, and the test sees only a closed connection.
        // Through a server, the skeleton's exception may also come back as an error reply that a client's assertion
        // quotes (stage 11's WATCH): "ERR internal error while running 'watch': ...UnsupportedOperationException:
        // exercise 11: ...", in the report.
        String report = Files.readString(log);
        assertTrue(lines.stream().anyMatch(line -> (line.startsWith("FAIL") || line.startsWith("THREAD"))
                        && line.contains(unwritten)) || report.contains(unwritten + ": exercise " + stage.id() + ":"),
                () -> "the skeleton's UnsupportedOperationException was not thrown; see " + log);
        // A test class whose static set-up runs the skeleton (AclProperties starts a server, which applies the
        // default user's rules) fails whole, with ExceptionInInitializerError and then NoClassDefFoundError: that is
        // the skeleton unwritten, not a broken stage.
        boolean initRanTheSkeleton = lines.stream()
                .anyMatch(line -> line.contains("ExceptionInInitializerError") && line.contains(unwritten));
        List<String> unlinked = lines.stream()
                .filter(line -> line.matches(".*(LinkageError|NoClassDefFoundError|NoSuchMethodError|NoSuchFieldError"
                        + "|AbstractMethodError|IncompatibleClassChangeError|ClassNotFoundException|ExceptionInInitializerError).*"))
                .filter(line -> !(initRanTheSkeleton && line.matches(".*(ExceptionInInitializerError|NoClassDefFoundError).*")
                        && !line.matches(".*(NoSuchMethodError|NoSuchFieldError|AbstractMethodError|ClassNotFoundException).*")))
                .toList();
        assertTrue(unlinked.isEmpty(), () -> "tests that could not link to the skeleton:\n" + String.join("\n", unlinked));
    }
}
