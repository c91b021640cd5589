// Compiles a participant's classes for one stage, against the reference they plug into.
package io.port6379.exercises;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs javac (the JDK's own, through {@code javax.tools}) on a stage's sources with the reference classes on the
 * class path, into a fresh {@code exercises/target/stages/NN/classes}. The sources win over the class path, so
 * the participant's {@code RequestDecoder} is the one compiled, and it may use every other reference class.
 */
public final class StageCompiler {

    /** What javac said, and whether it produced classes. */
    public record Result(boolean success, String messages) {}

    private StageCompiler() {
    }

    public static Result compile(Path root, Stage stage, String referenceClassPath) {
        return compile(stage.sources(root), stage.classes(root), stage.allTestClasses(root), referenceClassPath);
    }

    /** Compiles {@code sources} into a fresh {@code output}: a stage's classes kept elsewhere than its directory. */
    public static Result compile(Path sources, Path output, List<Path> testClasses, String referenceClassPath) {
        List<String> arguments = new ArrayList<>(List.of(
                "--release", "21", "-encoding", "UTF-8", "-Xlint:all,-processing,-serial", "-proc:none",
                "-implicit:none", "-d", output.toString(),
                "-sourcepath", sources.toString(),
                // The grading module's tests too: a stage may shadow a test-scope class (chapter 12's patterns).
                "-classpath", referenceClassPath + File.pathSeparator + String.join(File.pathSeparator,
                        testClasses.stream().map(Path::toString).toList())));
        try {
            deleteRecursively(output);
            Files.createDirectories(output);
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.toString().endsWith(".java")).sorted()
                        .forEach(file -> arguments.add(file.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return new Result(false, "no Java compiler in " + System.getProperty("java.home") + ": run with a JDK 21+, not a JRE");
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int exitCode = javac.run(null, err, err, arguments.toArray(String[]::new));
        return new Result(exitCode == 0, messages.toString(StandardCharsets.UTF_8));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
