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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code chapters/appendix-commands.adoc} lists every command of the table: the chapter that explains it and the
 * class whose code handles it. The file is written by this test ({@code -Dport6379.regenerate=true}) and compared
 * with what it would write on every build, so a new command, or a command a chapter starts explaining, fails the
 * build until the index follows.
 *
 * <p>A command's chapter is, among the chapters that build its Redis group, the one whose text names it most often
 * in code ({@code `BLPOP`} or {@code `BLPOP key 0`}), the earlier one on a tie.
 */
class CommandIndexTest {

    private static final Path FILE = Chapters.directory().resolve("appendix-commands.adoc");

    /**
     * Redis's command groups and the chapters that build them, the first being the group's own: a command is
     * explained in the one of these that names it most often, else in the chapter that names it most often, else in
     * the first.
     */
    private static final Map<String, List<String>> GROUP_CHAPTERS = Map.ofEntries(
            Map.entry("string", List.of("keyspace-and-strings", "expiry")),
            Map.entry("generic", List.of("keyspace-and-strings", "expiry", "persistence")),
            Map.entry("list", List.of("lists", "blocking")), Map.entry("hash", List.of("hashes")),
            Map.entry("set", List.of("sets")), Map.entry("sorted-set", List.of("sorted-sets", "blocking")),
            Map.entry("connection", List.of("server", "resp", "security")),
            Map.entry("server", List.of("server", "persistence", "security", "caching-and-eviction")),
            Map.entry("pubsub", List.of("pubsub")), Map.entry("transactions", List.of("transactions")),
            Map.entry("scripting", List.of("transactions", "security")), Map.entry("stream", List.of("streams")),
            Map.entry("bitmap", List.of("bits-and-estimates")), Map.entry("hyperloglog", List.of("bits-and-estimates")),
            Map.entry("geo", List.of("bits-and-estimates")), Map.entry("cluster", List.of("ecosystem")));

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
        StringBuilder out = new StringBuilder();
        out.append("[appendix]\n[#command-index]\n= Command index\n\n")
                .append("Every command of the server's command table, with the chapter that explains it (of the chapters that\n")
                .append("build its Redis group, the one that names it most often) and the class, in\n")
                .append("`server/src/main/java/io/port6379/server/`, whose code handles it.\n")
                .append("`CommandIndexTest` writes this table from the table itself and fails the build when it is out of date.\n\n")
                .append("[cols=\"3,2,5,3\",options=\"header\"]\n|===\n| command | group | explained in | handled by\n");
        for (Command command : commands) {
            String name = command.name().toUpperCase(Locale.ROOT);
            String group = command.docs() == null || command.docs().group() == null ? "" : command.docs().group();
            List<String> own = GROUP_CHAPTERS.getOrDefault(group, List.of());
            String chapter = chapterOf(name, chapterTexts, anchors, own);
            if (chapter == null) {
                chapter = chapterOf(name, chapterTexts, anchors, null);
            }
            if (chapter == null && !own.isEmpty()) {
                chapter = own.getFirst();
            }
            String binder = binder(command);
            out.append("| `").append(name).append("` | ").append(group).append(" | ")
                    .append(chapter == null ? "" : "<<" + chapter + ">>").append(" | ")
                    .append(binder == null ? "" : "`" + binder + "`").append('\n');
        }
        return out.append("|===\n").toString();
    }

    /** Of {@code among} (every chapter when null), the one whose text names {@code name} in code most often, or null. */
    private static String chapterOf(String name, Map<String, String> texts, Map<String, String> anchors,
                                    List<String> among) {
        Pattern mention = Pattern.compile("`" + Pattern.quote(name) + "[` ]");
        String best = null;
        int most = 0;
        for (Map.Entry<String, String> chapter : texts.entrySet()) {
            if (among != null && !among.contains(anchors.get(chapter.getKey()))) {
                continue;
            }
            int count = (int) mention.matcher(chapter.getValue()).results().count();
            if (count > most) {
                most = count;
                best = anchors.get(chapter.getKey());
            }
        }
        return best;
    }

    /**
     * The class that binds a command: where its handler was written. A handler is a method reference or a lambda,
     * whose class the JVM names after the class that holds it ({@code KeyCommands$$Lambda/0x...}); a container
     * command without a handler of its own is bound where its first subcommand's handler is.
     */
    private static String binder(Command command) {
        Object handler = command.handler();
        if (handler == null && !command.subcommands().isEmpty()) {
            handler = command.subcommands().getFirst().handler();
        }
        if (handler == null) {
            return null;
        }
        String name = handler.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        String holder = lambda < 0 ? name : name.substring(0, lambda);
        holder = holder.substring(holder.lastIndexOf('.') + 1);
        int nested = holder.indexOf('$');
        return nested < 0 ? holder : holder.substring(0, nested);
    }
}
