// The book's command index appendix, generated from the server's command table so that it cannot go stale.
package io.port6379.book;

import io.port6379.datastructures.Clock;
import io.port6379.server.Command;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code chapters/appendix-commands.adoc} lists every command of the table: the chapter that explains it and the
 * family file that binds it. The file is written by this test ({@code -Dport6379.regenerate=true}) and compared
 * with what it would write on every build, so a new command, or a command a chapter starts explaining, fails the
 * build until the index follows.
 *
 * <p>A command's chapter is the one whose text names it most often in code ({@code `BLPOP`} or
 * {@code `BLPOP key 0`}), the earlier one on a tie; a command no chapter names falls back to its Redis group's chapter.
 */
class CommandIndexTest {

    private static final Path FILE = Chapters.directory().resolve("appendix-commands.adoc");

    /** Redis's command groups, and the chapter each belongs to when no chapter names the command. */
    private static final Map<String, String> GROUP_CHAPTER = Map.ofEntries(
            Map.entry("string", "keyspace-and-strings"), Map.entry("generic", "keyspace-and-strings"),
            Map.entry("list", "lists"), Map.entry("hash", "hashes"), Map.entry("set", "sets"),
            Map.entry("sorted-set", "sorted-sets"), Map.entry("connection", "server"), Map.entry("server", "server"),
            Map.entry("pubsub", "pubsub"), Map.entry("transactions", "transactions"),
            Map.entry("scripting", "transactions"), Map.entry("stream", "streams"),
            Map.entry("bitmap", "bits-and-estimates"), Map.entry("hyperloglog", "bits-and-estimates"),
            Map.entry("geo", "bits-and-estimates"), Map.entry("cluster", "ecosystem"));

    @Test
    void theAppendixListsEveryCommandOfTheTable() throws IOException {
        String expected = render();
        if (Boolean.getBoolean("port6379.regenerate")) {
            Files.writeString(FILE, expected);
        }
        assertEquals(expected, Files.readString(FILE), "chapters/appendix-commands.adoc differs from the command table;"
                + " write it again with: mvn -pl book -am verify -Dtest=CommandIndexTest -Dport6379.regenerate=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false");
    }

    static String render() throws IOException {
        List<Command> commands = new ArrayList<>(Port6379.context(new ServerConfig(), Clock.SYSTEM).commands().all());
        commands.removeIf(command -> command.name().contains("|"));
        commands.sort(Comparator.comparing(Command::name));
        Map<String, String> chapterTexts = new TreeMap<>(); // anchor -> text, in reading order by file name
        Map<String, String> anchors = new TreeMap<>();      // file name -> anchor
        for (Path chapter : Chapters.chapterFiles()) {
            String text = Files.readString(chapter);
            Matcher anchor = Pattern.compile("^\\[(?:preface)?#([a-z0-9-]+)]").matcher(text);
            if (anchor.find()) {
                anchors.put(chapter.getFileName().toString(), anchor.group(1));
                chapterTexts.put(chapter.getFileName().toString(), text);
            }
        }
        Map<String, String> bindings = bindings();
        StringBuilder out = new StringBuilder();
        out.append("[appendix]\n[#command-index]\n= Command index\n\n")
                .append("Every command of the server's command table, with the chapter that explains it (the one that names\n")
                .append("it most often; for a command no chapter names, the chapter of its Redis group) and the family file\n")
                .append("under `server/src/main/java/io/port6379/server/commands/` that binds it to its handler.\n")
                .append("`CommandIndexTest` writes this table from the table itself and fails the build when it is out of date.\n\n")
                .append("[cols=\"3,2,5,3\",options=\"header\"]\n|===\n| command | group | explained in | bound in\n");
        for (Command command : commands) {
            String name = command.name().toUpperCase(Locale.ROOT);
            String group = command.docs() == null || command.docs().group() == null ? "" : command.docs().group();
            String chapter = chapterOf(name, chapterTexts, anchors);
            if (chapter == null) {
                chapter = GROUP_CHAPTER.get(group);
            }
            String binder = bindings.get(command.name());
            out.append("| `").append(name).append("` | ").append(group).append(" | ")
                    .append(chapter == null ? "" : "<<" + chapter + ">>").append(" | ")
                    .append(binder == null ? "" : "`" + binder + "`").append('\n');
        }
        return out.append("|===\n").toString();
    }

    /** The chapter whose text names {@code name} in code most often, or null when none does. */
    private static String chapterOf(String name, Map<String, String> texts, Map<String, String> anchors) {
        Pattern mention = Pattern.compile("`" + Pattern.quote(name) + "[` ]");
        String best = null;
        int most = 0;
        for (Map.Entry<String, String> chapter : texts.entrySet()) {
            int count = (int) mention.matcher(chapter.getValue()).results().count();
            if (count > most) {
                most = count;
                best = anchors.get(chapter.getKey());
            }
        }
        return best;
    }

    /** Command name (lower case) -> the family file whose registerAll binds it, read from the sources. */
    private static Map<String, String> bindings() throws IOException {
        Map<String, String> bindings = new TreeMap<>();
        Path families = Chapters.root().resolve("server/src/main/java/io/port6379/server/commands");
        Pattern handle = Pattern.compile("\\.handle\\(\"([a-z0-9-]+)[|\"]");
        try (Stream<Path> files = Files.list(families)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher matcher = handle.matcher(Files.readString(file));
                String family = file.getFileName().toString().replace(".java", "");
                while (matcher.find()) {
                    bindings.putIfAbsent(matcher.group(1), family);
                }
            }
        }
        return bindings;
    }
}
