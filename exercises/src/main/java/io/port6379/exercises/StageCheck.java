// exercises/check: compiles a participant's stage, then grades it with the reference's own tests in a fresh JVM.
package io.port6379.exercises;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Usage: {@code StageCheck <root> <stage> [--reference] [--compile-only] [--verbose]}.
 *
 * <ol>
 *   <li>compiles the skeleton directory of the stage ({@link StageCompiler}); javac's errors end the check;</li>
 *   <li>compares the compiled classes' API with the reference's ({@link ApiSignature}) and lists what differs,
 *       since a test calling a missing method fails with {@code NoSuchMethodError}, not with a hint;</li>
 *   <li>starts a JVM whose class path is: the stage's classes, the reference tests, the reference and its
 *       libraries; in it, {@link StageTestRun} runs the stage's tests and prints the report.</li>
 * </ol>
 * With {@code --reference} the first two steps are skipped and the stage's classes are left off the class path:
 * the same tests then grade the reference, the instructors' solution. The exit code is the report's: 0 when
 * every behaviour passes.
 */
public final class StageCheck {

    private StageCheck() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Stage stage;
        try {
            stage = Stage.byId(root, args[1]);
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage() + ". The stages are:");
            Stage.all(root).forEach(s -> System.out.println("  " + s.id() + "  " + s.title()));
            System.exit(2);
            return;
        }
        List<String> options = List.of(args).subList(2, args.length);
        boolean reference = options.contains("--reference");

        System.out.println("Stage " + stage.id() + ": " + stage.title());
        for (String className : stage.shadowedClasses(root)) {
            Path code = reference ? Stage.referenceSource(root, className).orElseThrow()
                    : stage.sources(root).resolve(className.replace('.', '/') + ".java");
            System.out.println("  " + (reference ? "reference:  " : "your code:  ") + root.relativize(code));
        }
        if (!reference) {
            stage.ownClasses(root).forEach(name -> System.out.println("  your own:   " + name));
        }
        List<String> gradedBy = new ArrayList<>();
        for (String module : stage.testModules()) {
            Path sources = root.resolve(module).resolve("src/test/java");
            List<String> names = stage.testClassNames(root).stream()
                    .filter(name -> stage.testSourceOf(root, name).startsWith(sources))
                    .map(name -> name.substring(name.lastIndexOf('.') + 1)).toList();
            gradedBy.add(root.relativize(sources) + ": " + String.join(", ", names));
        }
        System.out.println("  graded by:  " + String.join("; ", gradedBy));

        if (!reference) {
            StageCompiler.Result compiled = StageCompiler.compile(root, stage, String.join(File.pathSeparator,
                    referenceClassPath(root)));
            if (!compiled.messages().isBlank()) {
                System.out.println();
                System.out.print(compiled.messages());
            }
            if (!compiled.success()) {
                System.out.println("Stage " + stage.id() + " does not compile yet.");
                System.exit(2);
            }
            List<String> differences = apiDifferences(root, stage, StageCheck.class.getClassLoader());
            if (!differences.isEmpty()) {
                System.out.println();
                System.out.println("Your classes' API differs from the reference's; the server and the tests link to it:");
                differences.forEach(line -> System.out.println("  " + line));
            }
            if (options.contains("--compile-only")) {
                return;
            }
        }
        List<String> runOptions = options.contains("--verbose") ? List.of("--verbose") : List.of();
        Process run = new ProcessBuilder(command(root, stage, reference, runOptions))
                .directory(stage.moduleDirectory(root).toFile()).inheritIO().start();
        System.exit(run.waitFor());
    }

    /** The jars and directories of the reference and of every library, as Maven wrote them in target/test.classpath. */
    public static List<String> referenceClassPath(Path root) {
        Path file = root.resolve("exercises/target/test.classpath");
        try {
            return List.of(Files.readString(file).trim().split(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is missing: build with `mvn -pl exercises -am -DskipTests test-compile`", e);
        }
    }

    /** The command line of the JVM that runs the stage's tests, the participant's classes first unless {@code reference}. */
    public static List<String> command(Path root, Stage stage, boolean reference, List<String> runOptions) {
        return command(root, stage, reference ? null : stage.classes(root), runOptions);
    }

    /** The same, with the stage's classes taken from {@code classes} (none, the reference, when null). */
    public static List<String> command(Path root, Stage stage, Path classes, List<String> runOptions) {
        List<String> classPath = new ArrayList<>();
        if (classes != null) {
            classPath.add(classes.toString());
        }
        stage.allTestClasses(root).forEach(tests -> classPath.add(tests.toString()));
        classPath.add(root.resolve("exercises/target/classes").toString());
        classPath.addAll(referenceClassPath(root));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                // A stage run lasts seconds: the quick C1 compiler alone finishes it sooner than waiting for C2's
                // optimized code would.
                "-XX:TieredStopAtLevel=1",
                // What surefire gives the module's tests: its directory as working directory (the caller sets it)
                // and as basedir, and the repository root.
                "-Dbasedir=" + stage.moduleDirectory(root),
                "-Dport6379.root=" + root,
                "-cp", String.join(File.pathSeparator, classPath),
                StageTestRun.class.getName(), root.toString(), stage.id()));
        command.addAll(runOptions);
        return command;
    }

    /** How the compiled stage's API differs from the reference classes that {@code referenceLoader} sees. */
    public static List<String> apiDifferences(Path root, Stage stage, ClassLoader referenceLoader) throws IOException {
        List<String> differences = new ArrayList<>();
        // The grading module's test classes join the reference: a stage may shadow a test-scope class.
        try (URLClassLoader withTests = new URLClassLoader(new URL[] {stage.testClasses(root).toUri().toURL()},
                referenceLoader);
             StageClassLoader stageLoader = new StageClassLoader(stage.classes(root), withTests)) {
            for (String className : stage.shadowedClasses(root)) {
                SortedSet<String> expected = ApiSignature.of(Class.forName(className, false, withTests));
                Class<?> written = Class.forName(className, false, stageLoader);
                if (written.getClassLoader() != stageLoader) {
                    throw new IllegalStateException(className + " was not compiled into " + stage.classes(root));
                }
                differences.addAll(ApiSignature.differences(expected, ApiSignature.of(written)));
            }
        } catch (ClassNotFoundException e) {
            differences.add("no reference class " + e.getMessage() + ": is the stage's class name right?");
        }
        return differences;
    }
}
