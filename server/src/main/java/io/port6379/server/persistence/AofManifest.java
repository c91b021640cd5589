// The manifest of Redis 7's multi-part append-only file: which base and incremental files make up the data, in order.
package io.port6379.server.persistence;

import io.port6379.server.config.ConfigFile;
import io.port6379.server.util.Replies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Redis 7 splits the append-only file into parts kept in {@code appenddirname}: one <em>base</em> file (a
 * snapshot, written by a rewrite, in RDB or command format) followed by <em>incremental</em> files holding the
 * commands since. The manifest {@code appendonly.aof.manifest} lists them, one line each, exactly as Redis 7.0
 * writes it:
 *
 * <pre>
 * file appendonly.aof.1.base.rdb seq 1 type b
 * file appendonly.aof.1.incr.aof seq 1 type i
 * </pre>
 *
 * Type {@code h} (history) marks files an unfinished clean-up left behind; they are not loaded. Loading reads
 * the base, then the incremental files in the manifest's order. Redis reads the lines with {@code sdssplitargs},
 * so names may be quoted; lines starting with {@code #} are comments. Immutable.
 *
 * @param entries base first, then history, then incremental files by increasing sequence number
 */
// tag::manifest[]
public record AofManifest(List<Entry> entries) {

    /** What a file in the manifest holds. */
    public enum Type {
        BASE('b'), HISTORY('h'), INCR('i');

        final char code;

        Type(char code) {
            this.code = code;
        }

        static Type of(String code) {
            for (Type type : values()) {
                if (code.length() == 1 && code.charAt(0) == type.code) {
                    return type;
                }
            }
            return null;
        }
    }

    /** One line: a file name (no directory), its sequence number and its type. */
    public record Entry(String file, long seq, Type type) {
    }
    // end::manifest[]

    public AofManifest {
        entries = List.copyOf(entries);
    }

    /** The base file, if a rewrite ever made one. */
    public Optional<Entry> base() {
        return entries.stream().filter(e -> e.type() == Type.BASE).findFirst();
    }

    /** The incremental files, in the order they are loaded. */
    public List<Entry> incrs() {
        return entries.stream().filter(e -> e.type() == Type.INCR).toList();
    }

    /** The files to load, in order: the base (if any), then the incremental files. */
    public List<Entry> loadOrder() {
        List<Entry> order = new ArrayList<>();
        base().ifPresent(order::add);
        order.addAll(incrs());
        return order;
    }

    /** The highest sequence number of an incremental file, 0 when there is none. */
    public long lastIncrSeq() {
        return incrs().stream().mapToLong(Entry::seq).max().orElse(0);
    }

    /** The base's sequence number, 0 when there is no base. */
    public long baseSeq() {
        return base().map(Entry::seq).orElse(0L);
    }

    /** This manifest with one more incremental file. */
    public AofManifest withIncr(Entry incr) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(incr);
        return new AofManifest(next);
    }

    // tag::format[]
    /** The manifest's text, as Redis's {@code getAofManifestAsString}: base, history, then incremental files. */
    public String format() {
        StringBuilder text = new StringBuilder();
        for (Type type : Type.values()) {
            for (Entry entry : entries) {
                if (entry.type() == type) {
                    text.append("file ").append(quoted(entry.file())).append(" seq ").append(entry.seq())
                            .append(" type ").append(type.code).append('\n');
                }
            }
        }
        return text.toString();
    }
    // end::format[]

    /**
     * Reads a manifest's text, with Redis's checks and error messages: every line must hold the {@code file},
     * {@code seq} and {@code type} pairs, and at most one base may be listed.
     *
     * @throws IOException with Redis's message when the text is not a valid manifest
     */
    public static AofManifest parse(String text) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean base = false;
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> words = ConfigFile.splitArgs(line);
            if (words == null || words.size() < 6 || words.size() % 2 != 0) {
                throw new IOException("Invalid AOF manifest file format");
            }
            String file = null;
            Long seq = null;
            String typeCode = null;
            for (int i = 0; i < words.size(); i += 2) {
                String value = words.get(i + 1);
                switch (words.get(i).toLowerCase(Locale.ROOT)) {
                    case "file" -> file = value;
                    case "seq" -> seq = parseSeq(value);
                    case "type" -> typeCode = value;
                    default -> { } // Redis ignores keys it does not know, for forward compatibility
                }
            }
            if (file == null || seq == null || typeCode == null) {
                throw new IOException("Invalid AOF manifest file format");
            }
            Type type = Type.of(typeCode);
            if (type == null) {
                throw new IOException("Unknown AOF file type");
            }
            if (type == Type.BASE) {
                if (base) {
                    throw new IOException("Found duplicate base file information");
                }
                base = true;
            }
            entries.add(new Entry(file, seq, type));
        }
        if (entries.stream().noneMatch(e -> e.type() != Type.HISTORY)) {
            throw new IOException("Found an empty AOF manifest");
        }
        return new AofManifest(entries);
    }

    private static Long parseSeq(String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid AOF manifest file format");
        }
    }

    /** Quotes a name with spaces or special characters as Redis's {@code sdscatrepr}, so {@link ConfigFile#splitArgs} reads it back. */
    static String quoted(String name) {
        boolean plain = !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\'' && c != '\\');
        if (plain) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        Replies.appendQuoted(out, name.getBytes(StandardCharsets.UTF_8));
        return out.toString();
    }
}
