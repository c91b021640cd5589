// Reads commands/*.json, one file per command in the shape of Redis's src/commands/*.json, into command rows.
package io.port6379.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.function.Supplier;
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

    /**
     * Jackson's factory of streaming parsers; thread-safe, and its start-up cost is paid once, when a file is first
     * parsed: a server started from the jar reads the pack and parses nothing until COMMAND DOCS.
     */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    private CommandFiles() {
    }

    /** The files on the class path, read once per process: the rows are immutable and every server shares them. */
    private static final class OnClassPath {
        static final Map<String, Command> ROWS = read(classPath());
    }

    /**
     * Every described command by lower-case name ({@code get}, {@code client|list}), without handlers; a container
     * holds its described subcommands. Fails with an {@link IllegalStateException} naming the file at fault.
     */
    static Map<String, Command> described() {
        return OnClassPath.ROWS;
    }

    /** Opens one file of the directory by its name, {@code zadd.json}. */
    private interface Opener {
        InputStream open(String fileName) throws IOException;
    }

    /**
     * The names of the files and how to open one; {@code heads} is what {@link #readUpToArguments} reads from each
     * file, by file name, when a pack had it already (null: read the files).
     */
    private record Source(List<String> fileNames, Opener opener, Map<String, Object> heads) {
    }

    /**
     * The files next to this class: in the server's jar, or in the build's classes directory when tests run. In the
     * jar the build put their pack ({@link #PACK}), read instead of the files; without one the jar is listed with
     * {@link JarFile}, not the zip file system, which would cost more start-up time than reading every file. The
     * jar stays open, as the class loader keeps it open, for COMMAND DOCS to read arguments. A classes directory
     * is always read file by file: a pack there may be older than a file just edited and copied by an IDE.
     */
    private static Source classPath() {
        try {
            // Found from this class's own resource URL rather than its CodeSource, which a class mapped from the
            // JVM's AOT cache (jvm.options) may not have.
            URL self = CommandFiles.class.getResource(CommandFiles.class.getSimpleName() + ".class");
            if (self.getProtocol().equals("file")) {
                Path classes = Path.of(self.toURI()).getParent().getParent().getParent().getParent(); // io/port6379/server
                return directory(classes.resolve(DIRECTORY));
            }
            JarFile jar = ((JarURLConnection) self.openConnection()).getJarFile();
            Opener opener = name -> jar.getInputStream(jar.getEntry(DIRECTORY + "/" + name));
            JarEntry pack = jar.getJarEntry(DIRECTORY + "/" + PACK);
            if (pack != null) {
                byte[] bytes;
                try (InputStream in = jar.getInputStream(pack)) {
                    bytes = in.readAllBytes();
                }
                Map<String, Object> heads = unpack(bytes);
                return new Source(List.copyOf(heads.keySet()), opener, heads);
            }
            List<String> names = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith(DIRECTORY + "/") && name.endsWith(".json")) {
                    names.add(name.substring(DIRECTORY.length() + 1));
                }
            }
            return new Source(names, opener, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Source directory(Path directory) throws IOException {
        List<String> names;
        try (Stream<Path> listing = Files.list(directory)) {
            names = listing.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")).toList();
        }
        return new Source(names, name -> Files.newInputStream(directory.resolve(name)), null);
    }

    /** Reads every {@code *.json} file of {@code directory}. */
    static Map<String, Command> read(Path directory) throws IOException {
        return read(directory(directory));
    }

    /** Reads the commands of {@code directory} from a pack of its files ({@link #pack}), the arguments from the files. */
    static Map<String, Command> readPacked(Path directory, byte[] pack) throws IOException {
        Map<String, Object> heads = unpack(pack);
        return read(new Source(List.copyOf(heads.keySet()), directory(directory).opener(), heads));
    }

    /** Reads the files; subcommands are put into their containers. */
    private static Map<String, Command> read(Source source) {
        // Hash maps, not sorted ones: the result is unordered anyway, and sorting names costs the interpreter
        Map<String, Command> commands = new HashMap<>(1024);
        Map<String, List<Command>> subcommands = new HashMap<>();
        List<String> fileNames = new ArrayList<>(source.fileNames());
        Collections.sort(fileNames);
        for (String fileName : fileNames) {
            Command command;
            try {
                command = command(fileName, head(source, fileName), new Arguments(source.opener(), fileName));
            } catch (RuntimeException | IOException e) {
                throw new IllegalStateException(DIRECTORY + "/" + fileName + ": " + e.getMessage(), e);
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

    /** What {@link #readUpToArguments} reads from the file, from the pack when there is one. */
    private static Object head(Source source, String fileName) throws IOException {
        if (source.heads() != null) {
            return source.heads().get(fileName);
        }
        try (InputStream in = source.opener().open(fileName); JsonParser parser = Json.FACTORY.createParser(in)) {
            return readUpToArguments(parser);
        }
    }

    /**
     * The file's one command, {@code {"NAME": {...}}}, as {@code NAME -> {fields}}, read up to its
     * {@code arguments}: the argument tree is a third of the bytes and only COMMAND DOCS needs it, so it is read
     * when first asked for ({@link Arguments}). It must be the last field, as in Redis's files.
     */
    private static Map<String, Object> readUpToArguments(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT);
        expect(parser, JsonToken.FIELD_NAME);
        String name = parser.currentName();
        expect(parser, JsonToken.START_OBJECT);
        Map<String, Object> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME && !parser.currentName().equals("arguments")) {
            String field = parser.currentName();
            parser.nextToken();
            fields.put(field, readValue(parser));
        }
        return Map.of(name, fields);
    }

    private static void expect(JsonParser parser, JsonToken token) throws IOException {
        if (parser.nextToken() != token) {
            throw new IOException("expected " + token + " at " + parser.currentLocation());
        }
    }

    /** A command's argument tree, read from its file the first time COMMAND DOCS asks for it. */
    private static final class Arguments implements Supplier<List<Command.Argument>> {
        private final Opener opener;
        private final String fileName;
        private List<Command.Argument> arguments;

        Arguments(Opener opener, String fileName) {
            this.opener = opener;
            this.fileName = fileName;
        }

        @Override
        public synchronized List<Command.Argument> get() {
            if (arguments == null) {
                try (InputStream in = opener.open(fileName); JsonParser parser = Json.FACTORY.createParser(in)) {
                    arguments = read(parser);
                } catch (RuntimeException | IOException e) {
                    throw new IllegalStateException(DIRECTORY + "/" + fileName + ": " + e.getMessage(), e);
                }
            }
            return arguments;
        }

        private static List<Command.Argument> read(JsonParser parser) throws IOException {
            readUpToArguments(parser);
            if (parser.currentToken() == JsonToken.END_OBJECT) {
                return List.of();
            }
            parser.nextToken();
            List<Command.Argument> arguments = array(readValue(parser)).stream().map(CommandFiles::argument).toList();
            if (parser.nextToken() != JsonToken.END_OBJECT) {
                throw new IOException("the arguments must be the command's last field");
            }
            expect(parser, JsonToken.END_OBJECT);
            return arguments;
        }
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
            case VALUE_NULL -> null; // Redis writes an unknown key search as {"unknown": null}
            default -> throw new IOException("unexpected " + parser.currentToken() + " at " + parser.currentLocation());
        };
    }

    // tag::pack[]
    /**
     * The pack: what {@link #readUpToArguments} reads from every file, in one resource the build writes next to the
     * files ({@code server/pom.xml} runs {@link #main} after compiling), so that a server started from the jar
     * reads one resource instead of opening and parsing some 300 files. Parsing JSON is the slow part of a start,
     * for the start runs in the interpreter: the JIT has compiled nothing yet, and a parser's loop over every
     * character is at its slowest. The pack is the same maps, lists, strings and numbers in a form read without
     * parsing: every distinct string once (the flags and categories repeat hundreds of times), then each file's
     * name and value, each value a tag byte and its content. The arguments stay in the files, read when COMMAND
     * DOCS first asks. It is built from whatever files the directory holds: a new command file needs nothing more.
     */
    static final String PACK = "commands.pack";
    // end::pack[]

    private static final int PACK_VERSION = 1;
    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte INT = 3;
    private static final byte STRING = 4;
    private static final byte ARRAY = 5;
    private static final byte OBJECT = 6;

    /** Writes the pack of the directory {@code args[0]} to the file {@code args[1]}: run by the build. */
    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[1]), pack(Path.of(args[0])));
    }

    /** The pack of the {@code *.json} files of {@code directory}. */
    static byte[] pack(Path directory) throws IOException {
        Source source = directory(directory);
        Map<String, Object> heads = new TreeMap<>();
        for (String fileName : source.fileNames()) {
            try {
                heads.put(fileName, head(source, fileName));
            } catch (RuntimeException | IOException e) {
                throw new IllegalStateException(DIRECTORY + "/" + fileName + ": " + e.getMessage(), e);
            }
        }
        return pack(heads);
    }

    /** The pack of file heads by file name. */
    static byte[] pack(Map<String, Object> heads) throws IOException {
        Map<String, Integer> strings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> head : heads.entrySet()) {
            collectStrings(head.getKey(), strings);
            collectStrings(head.getValue(), strings);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeNumber(PACK_VERSION, out);
        writeNumber(strings.size(), out);
        for (String string : strings.keySet()) {
            byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            boolean ascii = utf8.length == string.length();
            writeNumber(utf8.length << 1 | (ascii ? 1 : 0), out); // an ASCII string is read without decoding
            out.write(utf8);
        }
        writeNumber(heads.size(), out);
        for (Map.Entry<String, Object> head : heads.entrySet()) {
            writeNumber(strings.get(head.getKey()), out);
            writeValue(head.getValue(), strings, out);
        }
        return bytes.toByteArray();
    }

    /** A count, an index or a number in as few bytes as it needs: seven bits a byte, the high bit saying more follow. */
    private static void writeNumber(int number, DataOutputStream out) throws IOException {
        int rest = number;
        while ((rest & ~0x7f) != 0) {
            out.writeByte(rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    private static void collectStrings(Object value, Map<String, Integer> strings) {
        switch (value) {
            case String string -> strings.putIfAbsent(string, strings.size());
            case Map<?, ?> object -> object.forEach((field, fieldValue) -> {
                collectStrings(field, strings);
                collectStrings(fieldValue, strings);
            });
            case List<?> array -> array.forEach(element -> collectStrings(element, strings));
            case null, default -> {
            }
        }
    }

    private static void writeValue(Object value, Map<String, Integer> strings, DataOutputStream out) throws IOException {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Boolean bool -> out.writeByte(bool ? TRUE : FALSE);
            case Integer number -> {
                out.writeByte(INT);
                writeNumber(number << 1 ^ number >> 31, out); // zigzag: a small negative number stays small
            }
            case String string -> {
                out.writeByte(STRING);
                writeNumber(strings.get(string), out);
            }
            case List<?> array -> {
                out.writeByte(ARRAY);
                writeNumber(array.size(), out);
                for (Object element : array) {
                    writeValue(element, strings, out);
                }
            }
            case Map<?, ?> object -> {
                out.writeByte(OBJECT);
                writeNumber(object.size(), out);
                for (Map.Entry<?, ?> field : object.entrySet()) {
                    writeNumber(strings.get((String) field.getKey()), out);
                    writeValue(field.getValue(), strings, out);
                }
            }
            default -> throw new IllegalArgumentException("cannot pack " + value);
        }
    }

    // tag::unpack[]
    /** The file heads of a pack, by file name in the order packed (sorted). */
    static Map<String, Object> unpack(byte[] pack) throws IOException {
        Unpacker in = new Unpacker(pack);
        if (in.readNumber() != PACK_VERSION) {
            throw new IOException(DIRECTORY + "/" + PACK + ": written by another version of the server");
        }
        String[] strings = new String[in.readNumber()];
        for (int i = 0; i < strings.length; i++) {
            int lengthAndAscii = in.readNumber();
            int length = lengthAndAscii >>> 1;
            // ISO-8859-1 reads ASCII bytes to the same characters with a copy; UTF-8 would test every byte first
            strings[i] = new String(pack, in.position, length,
                    (lengthAndAscii & 1) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            in.position += length;
        }
        int files = in.readNumber();
        Map<String, Object> heads = new LinkedHashMap<>(files * 2);
        for (int i = 0; i < files; i++) {
            String fileName = strings[in.readNumber()];
            heads.put(fileName, in.readValue(strings));
        }
        return heads;
    }
    // end::unpack[]

    /** A cursor over a pack's bytes. */
    private static final class Unpacker {
        private final byte[] bytes;
        private int position;

        Unpacker(byte[] bytes) {
            this.bytes = bytes;
        }

        int readNumber() {
            int number = 0;
            int shift = 0;
            byte next;
            do {
                next = bytes[position++];
                number |= (next & 0x7f) << shift;
                shift += 7;
            } while (next < 0);
            return number;
        }

        Object readValue(String[] strings) throws IOException {
            byte tag = bytes[position++];
            return switch (tag) {
                case NULL -> null;
                case TRUE -> true;
                case FALSE -> false;
                case INT -> {
                    int zigzag = readNumber();
                    yield zigzag >>> 1 ^ -(zigzag & 1);
                }
                case STRING -> strings[readNumber()];
                case ARRAY -> {
                    int size = readNumber();
                    List<Object> array = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        array.add(readValue(strings));
                    }
                    yield array;
                }
                case OBJECT -> {
                    int size = readNumber();
                    Map<String, Object> object = new LinkedHashMap<>(size * 2);
                    for (int i = 0; i < size; i++) {
                        String field = strings[readNumber()];
                        object.put(field, readValue(strings));
                    }
                    yield object;
                }
                default -> throw new IOException(DIRECTORY + "/" + PACK + ": unknown tag " + tag + " at " + (position - 1));
            };
        }
    }

    private static final Set<String> COMMAND_FIELDS = Set.of("summary", "complexity", "group", "since", "arity",
            "container", "history", "deprecated_since", "replaced_by", "doc_flags", "command_flags", "acl_categories",
            "command_tips", "key_specs", "arguments");

    /** One file: {@code {"NAME": {...}}}, named {@code name.json} or {@code container-name.json}. */
    private static Command command(String fileName, Object file, Supplier<List<Command.Argument>> arguments) {
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
        for (String flag : strings(row, "command_flags")) {
            flags.add(CommandFlag.valueOf(flag));
        }
        EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        for (String category : strings(row, "acl_categories")) {
            acl.add(AclCategory.valueOf(category));
        }
        List<String> tips = lowerCase(strings(row, "command_tips"));
        List<Command.KeySpec> keySpecs = new ArrayList<>();
        for (Object spec : list(row, "key_specs")) {
            keySpecs.add(keySpec(spec));
        }
        int[] range = legacyRange(keySpecs, flags);
        List<Command.History> history = new ArrayList<>();
        for (Object entry : list(row, "history")) {
            List<Object> pair = array(entry);
            history.add(new Command.History((String) pair.get(0), (String) pair.get(1)));
        }
        Command.Docs docs = new Command.Docs(text(row, "summary"), text(row, "since"),
                text(row, "group").replace('_', '-'), text(row, "complexity"),
                lowerCase(strings(row, "doc_flags")),
                text(row, "deprecated_since"), text(row, "replaced_by"), history, arguments);
        if (!(row.get("arity") instanceof Integer arity)) {
            throw new IllegalArgumentException("no arity");
        }
        return new Command(name, arity, Collections.unmodifiableSet(flags), Collections.unmodifiableSet(acl),
                range[0], range[1], range[2], List.copyOf(keySpecs), tips, docs, List.of(), null);
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
        if (specs.size() == 1 && specs.get(0).keyword().isEmpty() && specs.get(0).find() instanceof Command.KeySpec.Range range) {
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
            if (!(spec.find() instanceof Command.KeySpec.Range range) || range.step() != 1 || !spec.keyword().isEmpty()
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
        Map<String, Object> begin = fields(spec.get("begin_search"), Set.of("index", "keyword", "unknown"));
        Map<String, Object> find = fields(spec.get("find_keys"), Set.of("range", "keynum", "unknown"));
        if (begin.containsKey("unknown") || find.containsKey("unknown")) {
            if (!begin.containsKey("unknown") || !find.containsKey("unknown")) {
                throw new IllegalArgumentException("an unknown begin_search goes with an unknown find_keys");
            }
            return new Command.KeySpec(0, "", new Command.KeySpec.Unknown(), strings(spec, "flags"), text(spec, "notes"));
        }
        int index;
        String keyword = "";
        if (begin.containsKey("keyword")) {
            Map<String, Object> search = fields(begin.get("keyword"), Set.of("keyword", "startfrom"));
            keyword = (String) search.get("keyword");
            index = (Integer) search.get("startfrom");
        } else {
            index = (Integer) fields(begin.get("index"), Set.of("pos")).get("pos");
        }
        Command.KeySpec.FindKeys findKeys;
        if (find.containsKey("range")) {
            Map<String, Object> range = fields(find.get("range"), Set.of("lastkey", "step", "limit"));
            findKeys = new Command.KeySpec.Range((Integer) range.get("lastkey"), (Integer) range.get("step"),
                    (Integer) range.get("limit"));
        } else {
            Map<String, Object> keynum = fields(find.get("keynum"), Set.of("keynumidx", "firstkey", "step"));
            findKeys = new Command.KeySpec.Keynum((Integer) keynum.get("keynumidx"), (Integer) keynum.get("firstkey"),
                    (Integer) keynum.get("step"));
        }
        return new Command.KeySpec(index, keyword, findKeys, strings(spec, "flags"), text(spec, "notes"));
    }

    private static final Set<String> ARGUMENT_FIELDS = Set.of("name", "type", "key_spec_index", "token", "summary",
            "since", "deprecated_since", "optional", "multiple", "multiple_token", "arguments");

    private static Command.Argument argument(Object value) {
        Map<String, Object> argument = fields(value, ARGUMENT_FIELDS);
        return new Command.Argument(text(argument, "name"), text(argument, "type"),
                (Integer) argument.getOrDefault("key_spec_index", -1), (String) argument.get("token"),
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
        List<String> strings = new ArrayList<>();
        for (Object value : list(object, field)) {
            strings.add((String) value);
        }
        return List.copyOf(strings);
    }

    private static List<String> lowerCase(List<String> values) {
        List<String> lowerCase = new ArrayList<>();
        for (String value : values) {
            lowerCase.add(value.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(lowerCase);
    }
}
