// Writes src/main/resources/commands/*.json from a real redis-server's COMMAND INFO and COMMAND DOCS replies.
package io.port6379.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.port6379.protocol.Frame;
import io.port6379.protocol.ProtocolException;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The facts in our command files are Redis's: this program asks a running redis-server 7.0 for them and writes one
 * file per command in the shape of Redis's {@code src/commands/*.json} (see {@link CommandFiles}). It rewrites
 * every file already in the directory, plus the commands named on the command line (to describe a new command,
 * name it, then bind its code in its family). Run it against Debian's redis-server 7.0.15:
 *
 * <pre>
 * redis-server --port 7777 --save '' --daemonize yes
 * mvn -q -pl server -am test-compile exec:exec -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath io.port6379.server.CommandFilesGenerator 7777 src/main/resources/commands [name ...]"
 * redis-cli -p 7777 shutdown nosave
 * </pre>
 *
 * What Redis computes is left out, as in its own files: the {@code movablekeys} flag, the first/last/step triple,
 * and the ACL categories that follow from the flags ({@code @write}, {@code @read}, {@code @fast}, {@code @slow},
 * {@code @admin} and {@code @dangerous} for ADMIN, {@code @pubsub}, {@code @blocking}). Redis 7.0's replies carry
 * neither the Sentinel flags nor the {@code function} of its files, so ours have none either.
 */
public final class CommandFilesGenerator {

    private CommandFilesGenerator() {
    }

    public static void main(String[] args) throws IOException, ProtocolException {
        int port = Integer.parseInt(args[0]);
        Path directory = Path.of(args[1]);
        Set<String> names = new TreeSet<>(List.of(args).subList(2, args.length));
        try (Stream<Path> files = Files.list(directory)) {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".json"))
                    .map(file -> file.substring(0, file.length() - ".json".length()).replaceFirst("-", "|"))
                    .forEach(names::add);
        }
        JsonFactory json = new JsonFactory();
        try (FrameConnection redis = new FrameConnection(port)) {
            redis.call("HELLO", "3");
            for (String name : names) {
                if (name.contains("|") && FrameConnection.elements(redis.call("COMMAND", "INFO", name)).get(0) instanceof Frame.Null) {
                    name = name.replace('|', '-'); // a command whose own name has a dash: RESTORE-ASKING
                }
                Frame info = FrameConnection.elements(redis.call("COMMAND", "INFO", name)).get(0);
                List<Frame.Entry> docs = ((Frame.Map) redis.call("COMMAND", "DOCS", name)).entries();
                if (info instanceof Frame.Null || docs.isEmpty()) {
                    throw new IllegalArgumentException("redis-server does not know " + name);
                }
                Map<String, Object> row = describe(name, FrameConnection.elements(info), map(docs.get(0).value()));
                String shortName = name.substring(name.indexOf('|') + 1).toUpperCase(Locale.ROOT);
                Path file = directory.resolve(name.replace('|', '-') + ".json");
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                     JsonGenerator generator = json.createGenerator(out)) {
                    generator.setPrettyPrinter(redisStyle());
                    write(generator, Map.of(shortName, row));
                    out.flush();
                }
                Files.writeString(file, "\n", java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    /** The row of one command, fields in the order of Redis's files. */
    private static Map<String, Object> describe(String name, List<Frame> info, Map<String, Frame> docs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String field : List.of("summary", "complexity", "group", "since")) {
            if (docs.containsKey(field)) {
                String value = text(docs.get(field));
                row.put(field, field.equals("group") ? value.replace('-', '_') : value); // sorted-set is sorted_set
            }
        }
        row.put("arity", ((Frame.Integer) info.get(1)).value());
        if (name.contains("|")) {
            row.put("container", name.substring(0, name.indexOf('|')).toUpperCase(Locale.ROOT));
        }
        if (docs.containsKey("history")) {
            row.put("history", FrameConnection.elements(docs.get("history")).stream()
                    .map(change -> FrameConnection.elements(change).stream().map(FrameConnection::text).toList()).toList());
        }
        if (docs.containsKey("deprecated_since")) {
            row.put("deprecated_since", text(docs.get("deprecated_since")));
        }
        if (docs.containsKey("replaced_by")) {
            row.put("replaced_by", text(docs.get("replaced_by")));
        }
        if (docs.containsKey("doc_flags")) {
            row.put("doc_flags", upper(texts(docs.get("doc_flags"))));
        }
        List<String> flags = texts(info.get(2)).stream().filter(flag -> !flag.equals("movablekeys")).toList();
        putIfAny(row, "command_flags", upper(withHiddenFlag(name, flags)));
        putIfAny(row, "acl_categories", upper(statedCategories(flags, texts(info.get(6)))));
        putIfAny(row, "command_tips", upper(texts(info.get(7))));
        putIfAny(row, "key_specs", FrameConnection.elements(info.get(8)).stream().map(spec -> keySpec(map(spec))).toList());
        if (docs.containsKey("arguments")) {
            row.put("arguments", arguments(docs.get("arguments")));
        }
        return row;
    }

    /**
     * Redis's files give six commands the {@code MAY_REPLICATE} flag, which COMMAND INFO never shows: they may
     * propagate without being writes (PFCOUNT's conversion, PUBLISH's message, a script's writes), so CLIENT PAUSE
     * WRITE holds them back and a read-only script may not call them. It goes in at its place in the flags' order.
     */
    private static List<String> withHiddenFlag(String name, List<String> flags) {
        if (!MAY_REPLICATE.contains(name)) {
            return flags;
        }
        List<String> all = new ArrayList<>(flags);
        all.add("may_replicate");
        all.sort(java.util.Comparator.comparing(flag -> CommandFlag.valueOf(flag.toUpperCase(Locale.ROOT))));
        return all;
    }

    private static final Set<String> MAY_REPLICATE = Set.of("eval", "evalsha", "fcall", "pfcount", "publish", "spublish");

    /** The categories COMMAND INFO lists minus those Redis's setImplicitACLCategories adds from the flags. */
    private static List<String> statedCategories(List<String> flags, List<String> categories) {
        Set<String> implied = new TreeSet<>();
        if (flags.contains("write")) implied.add("@write");
        if (flags.contains("readonly")) implied.add("@read");
        if (flags.contains("admin")) implied.addAll(List.of("@admin", "@dangerous"));
        if (flags.contains("pubsub")) implied.add("@pubsub");
        if (flags.contains("fast")) implied.add("@fast");
        if (flags.contains("blocking")) implied.add("@blocking");
        if (!categories.contains("@fast")) implied.add("@slow");
        return categories.stream().filter(category -> !implied.contains(category)).map(category -> category.substring(1))
                .toList();
    }

    private static Map<String, Object> keySpec(Map<String, Frame> spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (spec.containsKey("notes")) {
            out.put("notes", text(spec.get("notes")));
        }
        out.put("flags", upper(texts(spec.get("flags"))));
        Map<String, Frame> begin = map(spec.get("begin_search"));
        Map<String, Frame> find = map(spec.get("find_keys"));
        if (text(begin.get("type")).equals("unknown") && text(find.get("type")).equals("unknown")) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknown.put("unknown", null); // as in Redis's sort.json: the keys are found by the command's own code
            out.put("begin_search", unknown);
            out.put("find_keys", unknown);
            return out;
        }
        Map<String, Frame> beginSpec = map(begin.get("spec"));
        switch (text(begin.get("type"))) {
            case "index" -> out.put("begin_search", Map.of("index", Map.of("pos", number(beginSpec.get("index")))));
            case "keyword" -> { // MIGRATE's KEYS: the keys follow a word, searched from "startfrom" (negative: from the end)
                Map<String, Object> keyword = new LinkedHashMap<>();
                keyword.put("keyword", text(beginSpec.get("keyword")));
                keyword.put("startfrom", number(beginSpec.get("startfrom")));
                out.put("begin_search", Map.of("keyword", keyword));
            }
            default -> throw new IllegalArgumentException("begin_search " + text(begin.get("type")) + " is not supported");
        }
        Map<String, Frame> findSpec = map(find.get("spec"));
        Map<String, Object> how = new LinkedHashMap<>();
        if (text(find.get("type")).equals("range")) {
            how.put("lastkey", number(findSpec.get("lastkey")));
            how.put("step", number(findSpec.get("keystep")));
            how.put("limit", number(findSpec.get("limit")));
        } else {
            how.put("keynumidx", number(findSpec.get("keynumidx")));
            how.put("firstkey", number(findSpec.get("firstkey")));
            how.put("step", number(findSpec.get("keystep")));
        }
        out.put("find_keys", Map.of(text(find.get("type")), how));
        return out;
    }

    private static List<Object> arguments(Frame list) {
        List<Object> out = new ArrayList<>();
        for (Frame element : FrameConnection.elements(list)) {
            Map<String, Frame> argument = map(element);
            Map<String, Object> json = new LinkedHashMap<>();
            for (Map.Entry<String, Frame> field : argument.entrySet()) {
                switch (field.getKey()) {
                    case "key_spec_index" -> json.put("key_spec_index", number(field.getValue()));
                    case "flags" -> texts(field.getValue()).forEach(flag -> json.put(flag, true));
                    case "arguments" -> json.put("arguments", arguments(field.getValue()));
                    default -> json.put(field.getKey(), text(field.getValue()));
                }
            }
            out.add(json);
        }
        return out;
    }

    /** Four-space indents and one element per line, as Redis's files are written. */
    private static DefaultPrettyPrinter redisStyle() {
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> field : map.entrySet()) {
                    out.writeFieldName((String) field.getKey());
                    write(out, field.getValue());
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (Object element : list) {
                    write(out, element);
                }
                out.writeEndArray();
            }
            case String text -> out.writeString(text);
            case Long number -> out.writeNumber(number);
            case Boolean flag -> out.writeBoolean(flag);
            case null -> out.writeNull();
            default -> throw new IllegalArgumentException("cannot write " + value);
        }
    }

    private static void putIfAny(Map<String, Object> row, String field, List<?> values) {
        if (!values.isEmpty()) {
            row.put(field, values);
        }
    }

    private static Map<String, Frame> map(Frame frame) {
        Map<String, Frame> map = new LinkedHashMap<>();
        for (Frame.Entry entry : ((Frame.Map) frame).entries()) {
            map.put(text(entry.key()), entry.value());
        }
        return map;
    }

    private static String text(Frame frame) {
        return FrameConnection.text(frame);
    }

    private static List<String> texts(Frame frame) {
        return FrameConnection.elements(frame).stream().map(FrameConnection::text).toList();
    }

    private static long number(Frame frame) {
        return ((Frame.Integer) frame).value();
    }

    private static List<String> upper(List<String> values) {
        return values.stream().map(value -> value.toUpperCase(Locale.ROOT)).toList();
    }
}
