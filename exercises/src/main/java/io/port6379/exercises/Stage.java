// One workshop stage as exercises/stages.conf describes it, and where its files live in the repository.
package io.port6379.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stage: the classes a participant writes (the skeleton directory's sources, each shadowing the reference
 * class of the same name) and the reference tests that grade them (classes of {@code testModule} whose simple
 * names match {@code testPatterns}, in the chapter's order).
 */
public record Stage(String id, String title, String directory, String testModule, List<String> testPatterns) {

    /** Every stage of {@code exercises/stages.conf}, in file order. */
    public static List<Stage> all(Path root) {
        Path conf = root.resolve("exercises/stages.conf");
        List<Stage> stages = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(conf)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s*\\|\\s*");
                if (fields.length != 5) {
                    throw new IllegalStateException(conf + ": expected 5 fields separated by | in: " + line);
                }
                stages.add(new Stage(fields[0].trim(), fields[1], fields[2], fields[3],
                        List.of(fields[4].trim().split("\\s+"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stages;
    }

    /**
     * The stage with {@code id} ("01" or "1"; "08b" or "8b"). A stage's number is its chapter's; a chapter's second
     * stage adds a letter.
     */
    public static Stage byId(Path root, String id) {
        String wanted = id.matches("[0-9][a-z]?") ? "0" + id : id;
        return all(root).stream()
                .filter(stage -> stage.id().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + id + " in exercises/stages.conf"));
    }

    /** Where the participant's sources are: {@code exercises/stageNN-name/src/main/java}. */
    public Path sources(Path root) {
        return root.resolve("exercises").resolve(directory).resolve("src/main/java");
    }

    /** Where {@link StageCompiler} puts the participant's classes. */
    public Path classes(Path root) {
        return root.resolve("exercises/target/stages").resolve(id).resolve("classes");
    }

    /** The grading module's directory, where its tests run, as under surefire. */
    public Path moduleDirectory(Path root) {
        return root.resolve(testModule);
    }

    /** The compiled reference tests of the grading module (built by {@code mvn -pl exercises -am}). */
    public Path testClasses(Path root) {
        return moduleDirectory(root).resolve("target/test-classes");
    }

    /**
     * The modules whose tests grade the stage: the grading module, then any other a pattern names
     * ({@code server:BitmapCommandsTest}: the bit commands over the socket, for a class of {@code datastructures}).
     */
    public List<String> testModules() {
        List<String> modules = new ArrayList<>(List.of(testModule));
        for (String pattern : testPatterns) {
            String module = moduleOf(pattern);
            if (!modules.contains(module)) {
                modules.add(module);
            }
        }
        return modules;
    }

    /** The compiled tests of every module of {@link #testModules}, the grading module's first. */
    public List<Path> allTestClasses(Path root) {
        return testModules().stream().map(module -> root.resolve(module).resolve("target/test-classes")).toList();
    }

    /** The source of one of the stage's test classes, in whichever of its modules holds it. */
    public Path testSourceOf(Path root, String className) {
        String file = className.replace('.', '/') + ".java";
        return testModules().stream().map(module -> root.resolve(module).resolve("src/test/java").resolve(file))
                .filter(Files::exists).findFirst()
                .orElse(testSources(root).resolve(file));
    }

    private String moduleOf(String pattern) {
        int colon = pattern.indexOf(':');
        return colon < 0 || pattern.startsWith("uses:") ? testModule : pattern.substring(0, colon);
    }

    private static String globOf(String pattern) {
        int colon = pattern.indexOf(':');
        return colon < 0 || pattern.startsWith("uses:") ? pattern : pattern.substring(colon + 1);
    }

    /** The sources of those tests, read to list behaviours in the order they are written. */
    public Path testSources(Path root) {
        return moduleDirectory(root).resolve("src/test/java");
    }

    /** The fully-qualified names of the classes in the stage's directory: one per source file. */
    public List<String> classNames(Path root) {
        Path sources = sources(root);
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> sources.relativize(file).toString())
                    .map(Stage::className)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classes this stage replaces: those of {@link #classNames} that have a reference class of the same name. */
    public List<String> shadowedClasses(Path root) {
        return classNames(root).stream().filter(name -> referenceSource(root, name).isPresent()).toList();
    }

    /** Classes a participant added beside the shadowing ones (helpers of their own design). */
    public List<String> ownClasses(Path root) {
        return classNames(root).stream().filter(name -> referenceSource(root, name).isEmpty()).toList();
    }

    /**
     * The reference source of a class: for a shadowed class, the instructor's solution. Main sources first; then
     * test sources, where the clients of chapter 12's patterns live (a stage may shadow those too).
     */
    public static Optional<Path> referenceSource(Path root, String className) {
        String file = className.replace('.', '/') + ".java";
        for (String sources : List.of("src/main/java", "src/test/java")) {
            for (String module : List.of("protocol", "datastructures", "server")) {
                Path candidate = root.resolve(module).resolve(sources).resolve(file);
                if (Files.exists(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The stage's test classes, in the order of {@link #testPatterns}. A pattern is a glob of simple class names
     * ({@code RequestDecoder*Test}), or {@code uses:Name}: every test class whose source names {@code Name}, in
     * alphabetical order, so that a new test of the stage's class joins it without any change to stages.conf.
     * A pattern may name another module's tests, {@code server:Glob}: the stage's class is then also graded through
     * that module (a data structure through the server's commands, over the socket).
     * Only classes that surefire runs count ({@code *Test}, {@code *Tests}, {@code *Properties}); JUnit finds
     * their nested classes itself.
     */
    public List<String> testClassNames(Path root) {
        List<String> selected = new ArrayList<>();
        for (String pattern : testPatterns) {
            Path tests = root.resolve(moduleOf(pattern)).resolve("src/test/java");
            List<String> all;
            try (Stream<Path> files = Files.walk(tests)) {
                all = files.filter(file -> file.getFileName().toString().matches(".*(Test|Tests|Properties)\\.java"))
                        .map(file -> tests.relativize(file).toString())
                        .map(Stage::className)
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String name : all) {
                if (!selected.contains(name) && selects(globOf(pattern), name, tests)) {
                    selected.add(name);
                }
            }
        }
        return selected;
    }

    /** {@code io/port6379/protocol/RequestDecoder.java} is {@code io.port6379.protocol.RequestDecoder}. */
    private static String className(String relativePath) {
        return relativePath.substring(0, relativePath.length() - ".java".length()).replace(java.io.File.separatorChar, '.');
    }

    private static boolean selects(String pattern, String className, Path tests) {
        if (pattern.startsWith("uses:")) {
            Path source = tests.resolve(className.replace('.', '/') + ".java");
            try {
                return Pattern.compile("\\b" + Pattern.quote(pattern.substring("uses:".length())) + "\\b")
                        .matcher(Files.readString(source)).find();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        return simpleName.matches(pattern.replace("*", "[A-Za-z0-9_$]*"));
    }
}
