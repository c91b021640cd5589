// Reads commands/*.json, one file per command in the shape of Redis's src/commands/*.json, into command rows.
package io.port6379.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The description half of the command table. Redis keeps every command's metadata in a JSON file (arity, flags,
 * ACL categories, key specifications, the argument tree, history, summary) and generates its C table from them;
 * we read the same kind of files when the server starts. A file looks like this (shortened):
 *
 * <pre>
 * { "ZADD": { "summary": "Add one or more members to a sorted set, ...", "complexity": "O(log(N)) ...",
 *             "group": "sorted_set", "since": "1.2.0", "arity": -4,
 *             "command_flags": ["WRITE", "DENYOOM", "FAST"], "acl_categories": ["SORTEDSET"],
 *             "key_specs": [{ "flags": ["RW", "UPDATE"], "begin_search": { "index": { "pos": 1 } },
 *                             "find_keys": { "range": { "lastkey": 0, "step": 1, "limit": 0 } } }],
 *             "arguments": [{ "name": "key", "type": "key", "key_spec_index": 0 }, ...] } }
 * </pre>
 *
 * A subcommand's file is named after both words ({@code client-list.json}) and says {@code "container": "CLIENT"}.
 * What Redis computes rather than reads is computed here too: the first/last/step triple and the
 * {@code movablekeys} flag follow from the key specifications ({@link #legacyRange}); the implicit ACL categories
 * from the flags ({@link Command#aclCategories()}). The files are written from a real Redis's COMMAND INFO and
 * COMMAND DOCS by {@code CommandFilesGenerator} (a test class); a field we do not know fails the start-up.
 */
final class CommandFiles {

    /** Where the files are, on the class path. */
    static final String DIRECTORY = "commands";

    private CommandFiles() {
    }

    /** The files on the class path, read once per process: the rows are immutable and every server shares them. */
    private static final class OnClassPath {
        static final Map<String, Command> ROWS = read();
    }

    /**
     * Every described command by lower-case name ({@code get}, {@code client|list}), without handlers; a container
     * holds its described subcommands. Fails with an {@link IllegalStateException} naming the file at fault.
     */
    static Map<String, Command> described() {
        return OnClassPath.ROWS;
    }

    private static Map<String, Command> read() {
        URL url = CommandFiles.class.getClassLoader().getResource(DIRECTORY);
        if (url == null) {
            throw new IllegalStateException("no " + DIRECTORY + "/ directory on the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) { // the server's jar: list the directory through the zip file system
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(DIRECTORY));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every {@code *.json} file of {@code directory}; subcommands are put into their containers. */
    static Map<String, Command> read(Path directory) throws IOException {
        Map<String, Command> commands = new TreeMap<>();
        Map<String, List<Command>> subcommands = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        JsonFactory json = new JsonFactory();
        for (Path file : files) {
            Command command;
            try (InputStream in = Files.newInputStream(file); JsonParser parser = json.createParser(in)) {
                parser.nextToken();
                command = command(file.getFileName().toString(), readValue(parser));
            } catch (RuntimeException | IOException e) {
                throw new IllegalStateException(DIRECTORY + "/" + file.getFileName() + ": " + e.getMessage(), e);
            }
            int bar = command.name().indexOf('|');
            if (bar < 0) {
                commands.put(command.name(), command);
            } else {
                subcommands.computeIfAbsent(command.name().substring(0, bar), container -> new ArrayList<>()).add(command);
            }
        }
        for (Map.Entry<String, List<Command>> entry : subcommands.entrySet()) {
            Command container = commands.get(entry.getKey());
            if (container == null) {
                throw new IllegalStateException(DIRECTORY + "/: subcommands of " + entry.getKey() + " but no "
                        + entry.getKey() + ".json");
            }
            commands.put(container.name(), container.withSubcommands(entry.getValue()));
            entry.getValue().forEach(sub -> commands.put(sub.name(), sub));
        }
        return Map.copyOf(commands);
    }

    /** JSON as plain Java values: objects are maps in file order, arrays lists, numbers ints. */
    private static Object readValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String field = parser.currentName();
                    parser.nextToken();
                    object.put(field, readValue(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getIntValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw new IOException("unexpected " + parser.currentToken() + " at " + parser.currentLocation());
        };
    }

    private static final Set<String> COMMAND_FIELDS = Set.of("summary", "complexity", "group", "since", "arity",
            "container", "history", "deprecated_since", "replaced_by", "doc_flags", "command_flags", "acl_categories",
            "command_tips", "key_specs", "arguments");

    /** One file: {@code {"NAME": {...}}}, named {@code name.json} or {@code container-name.json}. */
    private static Command command(String fileName, Object file) {
        Map<String, Object> top = object(file);
        if (top.size() != 1) {
            throw new IllegalArgumentException("expected one command, found " + top.keySet());
        }
        String shortName = top.keySet().iterator().next().toLowerCase(Locale.ROOT);
        Map<String, Object> row = fields(top.values().iterator().next(), COMMAND_FIELDS);
        String container = text(row, "container").toLowerCase(Locale.ROOT);
        String name = container.isEmpty() ? shortName : container + "|" + shortName;
        String expectedFile = (container.isEmpty() ? shortName : container + "-" + shortName) + ".json";
        if (!fileName.equals(expectedFile)) {
            throw new IllegalArgumentException("describes " + name + ", so it should be named " + expectedFile);
        }
        EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        strings(row, "command_flags").forEach(flag -> flags.add(CommandFlag.valueOf(flag)));
        EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        strings(row, "acl_categories").forEach(category -> acl.add(AclCategory.valueOf(category)));
        List<String> tips = strings(row, "command_tips").stream().map(tip -> tip.toLowerCase(Locale.ROOT)).toList();
        List<Command.KeySpec> keySpecs = list(row, "key_specs").stream().map(CommandFiles::keySpec).toList();
        int[] range = legacyRange(keySpecs, flags);
        List<Command.History> history = list(row, "history").stream().map(entry -> {
            List<Object> pair = array(entry);
            return new Command.History((String) pair.get(0), (String) pair.get(1));
        }).toList();
        Command.Docs docs = new Command.Docs(text(row, "summary"), text(row, "since"),
                text(row, "group").replace('_', '-'), text(row, "complexity"),
                strings(row, "doc_flags").stream().map(flag -> flag.toLowerCase(Locale.ROOT)).toList(),
                text(row, "deprecated_since"), text(row, "replaced_by"), history,
                list(row, "arguments").stream().map(CommandFiles::argument).toList());
        if (!(row.get("arity") instanceof Integer arity)) {
            throw new IllegalArgumentException("no arity");
        }
        return new Command(name, arity, Collections.unmodifiableSet(flags),
                Collections.unmodifiableSet(acl), range[0], range[1], range[2], keySpecs, tips, docs, List.of(), null);
    }

    /**
     * Redis's {@code populateCommandLegacyRangeSpec}: the first/last/step triple that COMMAND INFO still reports
     * for clients older than key specifications. One range specification is the triple itself; several make one
     * triple when each starts right after the previous one with step 1. A specification that cannot be part of
     * a triple (a {@code keynum}, a step other than 1, a gap, an {@code INCOMPLETE} one) makes the command
     * {@code movablekeys}: its keys can only be found by reading the call. Returns {first, last, step}.
     */
    // tag::legacy-range[]
    static int[] legacyRange(List<Command.KeySpec> specs, Set<CommandFlag> flags) {
        if (specs.isEmpty()) {
            return new int[] {0, 0, 0};
        }
        if (specs.size() == 1 && specs.get(0).find() instanceof Command.KeySpec.Range range) {
            if (specs.get(0).flags().contains("INCOMPLETE")) {
                flags.add(CommandFlag.MOVABLEKEYS);
            }
            int first = specs.get(0).index();
            return new int[] {first, range.lastKey() < 0 ? range.lastKey() : first + range.lastKey(), range.step()};
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        int previousLast = 0;
        for (Command.KeySpec spec : specs) {
            if (!(spec.find() instanceof Command.KeySpec.Range range) || range.step() != 1
                    || (previousLast != 0 && previousLast != spec.index() - 1)) {
                flags.add(CommandFlag.MOVABLEKEYS);
                continue;
            }
            if (spec.flags().contains("INCOMPLETE")) {
                flags.add(CommandFlag.MOVABLEKEYS);
            }
            first = Math.min(first, spec.index());
            int specLast = range.lastKey() < 0 ? range.lastKey() : spec.index() + range.lastKey();
            last = Integer.compareUnsigned(last, specLast) >= 0 ? last : specLast; // a negative last key wins, as in C
            previousLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            flags.add(CommandFlag.MOVABLEKEYS);
            return new int[] {0, 0, 0};
        }
        return new int[] {first, last, 1};
    }
    // end::legacy-range[]

    private static final Set<String> KEY_SPEC_FIELDS = Set.of("notes", "flags", "begin_search", "find_keys");

    /** {@code {"flags": [...], "begin_search": {"index": {"pos": 1}}, "find_keys": {"range": {...}}}}. */
    private static Command.KeySpec keySpec(Object value) {
        Map<String, Object> spec = fields(value, KEY_SPEC_FIELDS);
        Map<String, Object> begin = fields(spec.get("begin_search"), Set.of("index"));
        int index = (Integer) fields(begin.get("index"), Set.of("pos")).get("pos");
        Map<String, Object> find = fields(spec.get("find_keys"), Set.of("range", "keynum"));
        Command.KeySpec.FindKeys findKeys;
        if (find.containsKey("range")) {
            Map<String, Object> range = fields(find.get("range"), Set.of("lastkey", "step", "limit"));
            if ((Integer) range.get("limit") != 0) {
                throw new IllegalArgumentException("a range with a limit is not supported");
            }
            findKeys = new Command.KeySpec.Range((Integer) range.get("lastkey"), (Integer) range.get("step"));
        } else {
            Map<String, Object> keynum = fields(find.get("keynum"), Set.of("keynumidx", "firstkey", "step"));
            findKeys = new Command.KeySpec.Keynum((Integer) keynum.get("keynumidx"), (Integer) keynum.get("firstkey"),
                    (Integer) keynum.get("step"));
        }
        return new Command.KeySpec(index, findKeys, strings(spec, "flags"), text(spec, "notes"));
    }

    private static final Set<String> ARGUMENT_FIELDS = Set.of("name", "type", "key_spec_index", "token", "summary",
            "since", "deprecated_since", "optional", "multiple", "multiple_token", "arguments");

    private static Command.Argument argument(Object value) {
        Map<String, Object> argument = fields(value, ARGUMENT_FIELDS);
        return new Command.Argument(text(argument, "name"), text(argument, "type"),
                (Integer) argument.getOrDefault("key_spec_index", -1), text(argument, "token"),
                text(argument, "summary"), text(argument, "since"), text(argument, "deprecated_since"),
                argument.get("optional") == Boolean.TRUE, argument.get("multiple") == Boolean.TRUE,
                argument.get("multiple_token") == Boolean.TRUE,
                list(argument, "arguments").stream().map(CommandFiles::argument).toList());
    }

    /** An object whose fields are all among {@code known}: a misspelt field must not be silently ignored. */
    private static Map<String, Object> fields(Object value, Set<String> known) {
        Map<String, Object> object = object(value);
        for (String field : object.keySet()) {
            if (!known.contains(field)) {
                throw new IllegalArgumentException("unknown field \"" + field + "\"");
            }
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected an object, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object value) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("expected an array, found " + value);
        }
        return (List<Object>) value;
    }

    private static String text(Map<String, Object> object, String field) {
        return (String) object.getOrDefault(field, "");
    }

    private static List<Object> list(Map<String, Object> object, String field) {
        return object.containsKey(field) ? array(object.get(field)) : List.of();
    }

    private static List<String> strings(Map<String, Object> object, String field) {
        return list(object, field).stream().map(String.class::cast).toList();
    }
}
