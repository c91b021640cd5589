// The documented normalisations of the differential test: how replies Redis leaves unspecified are compared.
package io.port6379.server;

import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.testing.RespConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replies are compared byte for byte, except where Redis itself does not promise the bytes. Each rule here
 * names the commands it applies to and what is still checked, so nothing is skipped:
 * <ul>
 *   <li>hash-table order (SMEMBERS, SINTER, SUNION, SDIFF, KEYS, HKEYS, HVALS, HGETALL, PUBSUB CHANNELS and
 *       SHARDCHANNELS): the top-level
 *       elements (field/value pairs for HGETALL) are sorted, then compared exactly;</li>
 *   <li>random picks (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY): same reply type and element
 *       count, and every element ours picked is in the key (asked of our server just before);</li>
 *   <li>remaining time (TTL and EXPIRETIME within 1 s, PTTL and PEXPIRETIME within 1000 ms): the two servers
 *       run the same command a few hundred microseconds apart, on a loaded machine maybe more;</li>
 *   <li>UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE without arguments, leaving several channels: one frame per
 *       channel in the hash table's order; the channels are compared as a sorted list, the remaining-count
 *       sequence (the third element of each frame) exactly;</li>
 *   <li>the messages one PUBLISH pushes to a client subscribed to several matching patterns: Redis walks its
 *       pattern dict, so they are compared sorted;</li>
 *   <li>INFO: the same reply type and the same section headers, and every other line is {@code field:value}
 *       (the values are times, memory, and counters of the whole run, which the normalising side queries of
 *       the random-pick rule also move on our side);</li>
 * </ul>
 * SCAN and its siblings are compared by {@code DifferentialProperties} after iterating the cursor to 0.
 */
final class ReplyNormalisation {

    private ReplyNormalisation() {
    }

    /** Decodes one complete reply, as {@link RespConnection} returns it (one char per byte). */
    static Frame parse(String raw) {
        FrameDecoder decoder = new FrameDecoder();
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(bytes, 0, bytes.length);
        try {
            Frame frame = decoder.next();
            if (frame == null) {
                throw new IllegalArgumentException("incomplete reply: " + CliScript.quote(raw));
            }
            return frame;
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("not RESP: " + CliScript.quote(raw), e);
        }
    }

    /** A readable, type-tagged rendering of a frame, fit for sorting and for failure messages. */
    static String render(Frame frame) {
        return switch (frame) {
            case Frame.SimpleString s -> "+" + s.value();
            case Frame.SimpleError e -> "-" + e.message();
            case Frame.Integer i -> ":" + i.value();
            case Frame.BulkString b -> CliScript.quote(new String(b.value(), StandardCharsets.ISO_8859_1));
            case Frame.Null ignored -> "(nil)";
            case Frame.Double d -> "," + d.value();
            case Frame.Boolean b -> "#" + b.value();
            case Frame.BigNumber n -> "(" + n.value();
            case Frame.BulkError e -> "!" + new String(e.message(), StandardCharsets.ISO_8859_1);
            case Frame.VerbatimString v -> "=" + v.format() + ":" + CliScript.quote(new String(v.text(), StandardCharsets.ISO_8859_1));
            case Frame.Array a -> "*" + renderAll(a.elements());
            case Frame.Set s -> "~" + renderAll(s.elements());
            case Frame.Push p -> ">" + renderAll(p.elements());
            case Frame.Map m -> "%" + m.entries().stream().map(e -> render(e.key()) + ": " + render(e.value())).toList();
            case Frame.Attribute a -> "|" + render(a.value());
        };
    }

    private static List<String> renderAll(List<Frame> frames) {
        return frames.stream().map(ReplyNormalisation::render).toList();
    }

    /** The top-level elements sorted; {@code pairs} sorts a flat RESP2 field/value array two by two. */
    static String sorted(String raw, boolean pairs) {
        Frame frame = parse(raw);
        List<String> items = new ArrayList<>();
        switch (frame) {
            case Frame.Array a when pairs -> {
                for (int i = 0; i + 1 < a.elements().size(); i += 2) {
                    items.add(render(a.elements().get(i)) + " " + render(a.elements().get(i + 1)));
                }
            }
            case Frame.Array a -> items.addAll(renderAll(a.elements()));
            case Frame.Set s -> items.addAll(renderAll(s.elements()));
            case Frame.Map m -> m.entries().forEach(e -> items.add(render(e.key()) + " " + render(e.value())));
            default -> {
                return render(frame);
            }
        }
        items.sort(null);
        return raw.charAt(0) + String.valueOf(items);
    }

    /** Every scalar inside a frame, rendered (the members, fields, values and scores of a reply). */
    static List<String> leaves(Frame frame) {
        List<String> out = new ArrayList<>();
        collectLeaves(frame, out);
        return out;
    }

    private static void collectLeaves(Frame frame, List<String> out) {
        switch (frame) {
            case Frame.Array a -> a.elements().forEach(f -> collectLeaves(f, out));
            case Frame.Set s -> s.elements().forEach(f -> collectLeaves(f, out));
            case Frame.Map m -> m.entries().forEach(e -> {
                collectLeaves(e.key(), out);
                collectLeaves(e.value(), out);
            });
            default -> out.add(render(frame));
        }
    }

    /** The number of top-level elements, or -1 for a scalar. */
    private static int size(Frame frame) {
        return switch (frame) {
            case Frame.Array a -> a.elements().size();
            case Frame.Set s -> s.elements().size();
            case Frame.Map m -> m.entries().size();
            default -> -1;
        };
    }

    /**
     * A random pick: null when acceptable, else why not. {@code universe} is what ours held before the command
     * (its members, fields and values, or scores); scalars that are not bulk strings (errors, nil, 0) must be equal.
     */
    static String comparePick(String expectedRaw, String actualRaw, Collection<String> universe, boolean distinct) {
        Frame expected = parse(expectedRaw);
        Frame actual = parse(actualRaw);
        if (expectedRaw.charAt(0) != actualRaw.charAt(0) || size(expected) != size(actual)) {
            return "different reply shape";
        }
        if (size(expected) < 0 && !(expected instanceof Frame.BulkString)) {
            return expectedRaw.equals(actualRaw) ? null : "different reply";
        }
        if (size(expected) == 0) {
            return null;
        }
        List<String> picked = leaves(actual);
        Set<String> known = new HashSet<>(universe);
        for (String leaf : picked) {
            if (!known.contains(leaf)) {
                return "picked " + leaf + " which is not in the key " + new TreeSet<>(universe);
            }
        }
        if (distinct && leaves(expected).stream().distinct().count() != picked.stream().distinct().count()) {
            return "a different number of distinct picks";
        }
        return null;
    }

    /** The frames of an UNSUBSCRIBE-all: their channels sorted, then their counts in the order they came. */
    static String unsubscribeAll(List<String> frames) {
        List<String> channels = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (String raw : frames) {
            List<String> parts = leaves(switch (parse(raw)) {
                case Frame.Push p -> new Frame.Array(p.elements());
                case Frame other -> other;
            });
            if (parts.size() != 3) {
                return String.join("", frames);
            }
            channels.add(parts.get(0) + " " + parts.get(1));
            counts.add(parts.get(2));
        }
        channels.sort(null);
        return channels + " " + counts;
    }

    /** TTL-like integers: equal when negative (no key, no expiry), else within {@code tolerance}. */
    static boolean closeEnough(String expectedRaw, String actualRaw, long tolerance) {
        if (!expectedRaw.startsWith(":") || !actualRaw.startsWith(":")) {
            return expectedRaw.equals(actualRaw);
        }
        long expected = Long.parseLong(expectedRaw.strip().substring(1));
        long actual = Long.parseLong(actualRaw.strip().substring(1));
        if (expected < 0 || actual < 0) {
            return expected == actual;
        }
        return Math.abs(expected - actual) <= tolerance;
    }

    /** INFO's shape: reply type, the {@code # Section} headers in order, and {@code field:value} lines. */
    static String infoShape(String raw) {
        Frame frame = parse(raw);
        byte[] text = switch (frame) {
            case Frame.BulkString b -> b.value();
            case Frame.VerbatimString v -> v.text();
            default -> null;
        };
        if (text == null) {
            return render(frame);
        }
        StringBuilder shape = new StringBuilder(raw.substring(0, 1));
        for (String line : new String(text, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.startsWith("#")) {
                shape.append(' ').append(line);
            } else if (!line.isEmpty() && !line.matches("[^:\\s]+:.*")) {
                shape.append(" malformed line ").append(CliScript.quote(line));
            }
        }
        return shape.toString();
    }
}
