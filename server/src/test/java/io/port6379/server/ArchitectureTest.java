// The server's layers, checked on its sources: which package may import which, and the sizes a reader relies on.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of {@code server/}, from the bottom: {@code util}, {@code stats} and {@code config} know nothing of
 * the server; the kernel ({@code io.port6379.server}, and {@code network} on top of it) knows them; the concerns
 * ({@code security}, {@code pubsub}, {@code transactions}, {@code persistence}, {@code eviction}) know the kernel and reach one
 * another only through the kernel's {@link Concerns} (one exception: {@code replication} uses {@code persistence}
 * to save and load the RDB of a full resynchronisation, and to join its propagation feed); the command families ({@code commands}) know the kernel
 * and the concerns; the composition root ({@code main}) knows everything. An import that breaks the table below
 * fails here, with the file and the import.
 */
class ArchitectureTest {

    private static final String SERVER = "io.port6379.server";
    private static final Path SOURCES = Path.of("src/main/java/io/port6379/server");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.port6379\\.server[\\w.]*?)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Each package (relative to {@code io.port6379.server}; "" is the kernel) and what it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("util", Set.of()),
            Map.entry("stats", Set.of("util")),
            Map.entry("config", Set.of("util")),
            Map.entry("", Set.of("util", "stats", "config")),
            Map.entry("network", Set.of("", "util", "stats", "config")),
            Map.entry("security", Set.of("", "util", "stats", "config")),
            Map.entry("pubsub", Set.of("", "util", "stats", "config")),
            Map.entry("transactions", Set.of("", "util", "stats", "config")),
            Map.entry("persistence", Set.of("", "util", "stats", "config")),
            Map.entry("eviction", Set.of("", "util", "stats", "config")),
            Map.entry("tracking", Set.of("", "util", "stats", "config")),
            Map.entry("scripting", Set.of("", "util", "stats", "config")),
            Map.entry("memcached", Set.of("", "util", "stats", "config")),
            Map.entry("replication", Set.of("", "util", "stats", "config", "persistence")),
            Map.entry("cluster", Set.of("", "util", "stats", "config", "network", "persistence", "replication")),
            Map.entry("commands", Set.of("", "util", "stats", "config", "security", "pubsub", "transactions",
                    "persistence", "tracking", "scripting", "replication", "cluster")),
            Map.entry("main", Set.of("", "util", "stats", "config", "network", "security", "pubsub", "transactions",
                    "persistence", "eviction", "tracking", "scripting", "replication", "cluster", "commands", "memcached")),
            Map.entry("embedded", Set.of("", "util", "config", "network", "eviction", "main")));

    @Test
    void everyPackageImportsOnlyTheLayersBelowIt() {
        List<String> violations = new ArrayList<>();
        imports().forEach((file, imported) -> {
            String from = packageOf(file);
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                violations.add(file + ": package '" + from + "' is not in the layer table");
                return;
            }
            for (String target : imported) {
                if (!target.equals(from) && !allowed.contains(target)) {
                    violations.add(file + " imports from '" + target + "'");
                }
            }
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void theLayerTableHasNoCycle() {
        Set<String> done = new TreeSet<>();
        for (String layer : ALLOWED.keySet()) {
            visit(layer, new TreeSet<>(), done);
        }
        assertEquals(ALLOWED.keySet(), done);
    }

    private static void visit(String layer, Set<String> path, Set<String> done) {
        assertTrue(path.add(layer), "a cycle through '" + layer + "': " + path);
        for (String below : ALLOWED.get(layer)) {
            if (!done.contains(below)) {
                visit(below, path, done);
            }
        }
        path.remove(layer);
        done.add(layer);
    }

    @Test
    void theKernelStaysSmallEnoughToReadInOneSitting() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            long count = files.filter(f -> f.toString().endsWith(".java")).count();
            assertTrue(count <= 16, "the kernel package holds " + count + " files; give a new concern its own package");
        }
    }

    @Test
    void familyFilesHaveNoLineOf140CharactersOrMore() throws IOException {
        List<String> longLines = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("commands"))) {
            for (Path file : files.toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).length() >= 140) {
                        longLines.add(file.getFileName() + ":" + (i + 1) + " (" + lines.get(i).length() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), longLines);
    }

    /** For each source file (relative path), the server packages it imports from. */
    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Set<String> targets = new TreeSet<>();
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    String pkg = matcher.group(1);
                    targets.add(pkg.equals(SERVER) ? "" : pkg.substring(SERVER.length() + 1));
                }
                imports.put(SOURCES.relativize(file).toString(), targets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    private static String packageOf(String relativeFile) {
        int slash = relativeFile.lastIndexOf('/');
        return slash < 0 ? "" : relativeFile.substring(0, slash).replace('/', '.');
    }
}
