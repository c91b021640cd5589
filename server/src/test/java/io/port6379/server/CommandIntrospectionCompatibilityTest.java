// COMMAND INFO and COMMAND DOCS for every command we have must be the real Redis's bytes, in RESP2 and RESP3.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import io.port6379.testing.RealRedis;
import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RespWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our command files are generated from Redis's replies; this proves the round trip, files to loader to reply, for
 * every command and subcommand our table has ({@code COMMAND LIST} on ours): {@code COMMAND INFO name} and
 * {@code COMMAND DOCS name} must equal a real redis-server's reply byte for byte, in RESP2 and after
 * {@code HELLO 3}. redis-cli builds its inline hints from COMMAND DOCS, so its hints are Redis's too.
 *
 * <p>One normalisation, for containers only: Redis lists a container's subcommands in the order of a hash table
 * seeded at random at each start, and has some we do not ({@code CLIENT PAUSE}, {@code LATENCY DOCTOR}...). So
 * Redis's reply is decoded, its subcommands are put in our order and those we lack are left out, and the result is
 * encoded again and compared with our bytes. Fails in CI without redis-server (see {@link RealRedis}).
 */
class CommandIntrospectionCompatibilityTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @TestFactory
    Stream<DynamicTest> everyCommandIsDescribedAsRedisDescribesIt() {
        return Stream.of(2, 3).flatMap(protocol -> Stream.of("INFO", "DOCS").map(question ->
                DynamicTest.dynamicTest("COMMAND " + question + ", RESP" + protocol, () -> compare(question, protocol))));
    }

    /**
     * What redis-server 7.0.15 lists and ours does not, each for a reason: MODULE, since this server loads no
     * modules (it is written in Java; Redis's modules are C libraries built against its own structures), and SCRIPT
     * DEBUG, the Lua debugger that {@code redis-cli --ldb} drives, which this server does not have. Any other
     * difference, in either direction, fails the test.
     */
    static final Set<String> ONLY_IN_REDIS = Set.of("module", "module|help", "module|list", "module|load",
            "module|loadex", "module|unload", "script|debug");

    @Test
    void commandCountAndListDifferOnlyByTheListedCommands() throws IOException, ProtocolException {
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            List<List<String>> filters = new ArrayList<>();
            filters.add(List.of());
            for (Frame category : FrameConnection.elements(decode(real.call("ACL", "CAT")))) {
                filters.add(List.of("FILTERBY", "ACLCAT", FrameConnection.text(category)));
            }
            for (String pattern : new String[] {"*", "x*", "SCRIPT*", "*|*", "c?uster|*", "mod*", "get"}) {
                filters.add(List.of("FILTERBY", "PATTERN", pattern));
            }
            filters.add(List.of("FILTERBY", "ACLCAT", "nosuch"));
            filters.add(List.of("FILTERBY", "MODULE", "nosuch"));
            for (List<String> filter : filters) {
                List<String> words = new ArrayList<>(List.of("COMMAND", "LIST"));
                words.addAll(filter);
                String[] command = words.toArray(String[]::new);
                Set<String> expected = new TreeSet<>(names(real.call(command)));
                expected.removeAll(ONLY_IN_REDIS);
                assertEquals(expected, new TreeSet<>(names(ours.call(command))), String.join(" ", command));
            }
            long topLevel = ONLY_IN_REDIS.stream().filter(name -> !name.contains("|")).count();
            long redisCount = Long.parseLong(real.call("COMMAND", "COUNT").strip().substring(1));
            assertEquals(":" + (redisCount - topLevel) + "\r\n", ours.call("COMMAND", "COUNT"));
            for (String[] wrong : new String[][] {{"COMMAND", "LIST", "FILTERBY", "NOSUCH", "x"},
                    {"COMMAND", "LIST", "FILTERBY", "ACLCAT"}, {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "read", "x"},
                    {"COMMAND", "LIST", "x", "y", "z"}, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "FILTERBY", "PATTERN", "b"}}) {
                assertEquals(real.call(wrong), ours.call(wrong), String.join(" ", wrong));
            }
        }
    }

    private static List<String> names(String reply) throws ProtocolException {
        return FrameConnection.elements(decode(reply)).stream().map(FrameConnection::text).toList();
    }

    private static void compare(String question, int protocol) throws IOException, ProtocolException {
        List<String> mismatches = new ArrayList<>();
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            List<String> names = FrameConnection.elements(decode(ours.call("COMMAND", "LIST"))).stream()
                    .map(FrameConnection::text).sorted().toList();
            if (protocol == 3) {
                real.call("HELLO", "3");
                ours.call("HELLO", "3");
            }
            for (String name : names) {
                String expected = real.call("COMMAND", question, name);
                String actual = ours.call("COMMAND", question, name);
                if (!expected.equals(actual) && isContainer(name, names)) {
                    expected = inOurOrder(decode(expected), decode(actual), protocol);
                }
                if (!expected.equals(actual)) {
                    mismatches.add(name + ":\n  redis: " + expected + "\n  ours:  " + actual);
                }
            }
        }
        assertEquals("", String.join("\n", mismatches));
    }

    private static boolean isContainer(String name, List<String> names) {
        return names.stream().anyMatch(other -> other.startsWith(name + "|"));
    }

    /** Redis's reply about a container with its subcommands in our order, those we do not have left out. */
    private static String inOurOrder(Frame redis, Frame ours, int protocol) {
        RespWriter writer = new RespWriter();
        writer.protocolVersion(protocol);
        writer.frame(withSubcommandsOf(redis, ours));
        return new String(writer.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    /**
     * The same frame with, wherever a list of subcommands appears (the tenth field of an INFO row, the
     * {@code subcommands} field of DOCS), the subcommands of {@code ours} in its order.
     */
    private static Frame withSubcommandsOf(Frame redis, Frame ours) {
        return switch (redis) {
            case Frame.Array info when isInfoRow(info) && ours instanceof Frame.Array our && isInfoRow(our) -> {
                List<Frame> fields = new ArrayList<>(info.elements().subList(0, 9));
                fields.add(subcommandRows(info.elements().get(9), our.elements().get(9)));
                yield new Frame.Array(fields);
            }
            case Frame.Array array -> new Frame.Array(pairwise(array.elements(), FrameConnection.elements(ours)));
            case Frame.Map docs -> {
                List<Frame.Entry> entries = new ArrayList<>();
                List<Frame.Entry> ourEntries = ((Frame.Map) ours).entries();
                for (int i = 0; i < docs.entries().size(); i++) {
                    Frame.Entry entry = docs.entries().get(i);
                    Frame ourValue = i < ourEntries.size() ? ourEntries.get(i).value() : entry.value();
                    boolean subcommands = FrameConnection.text(entry.key()).equals("subcommands");
                    entries.add(new Frame.Entry(entry.key(), subcommands
                            ? subcommandDocs((Frame.Map) entry.value(), (Frame.Map) ourValue)
                            : withSubcommandsOf(entry.value(), ourValue)));
                }
                yield new Frame.Map(entries);
            }
            default -> redis;
        };
    }

    /** An INFO row: ten fields, the name then the arity. */
    private static boolean isInfoRow(Frame.Array row) {
        return row.elements().size() == 10 && row.elements().get(1) instanceof Frame.Integer;
    }

    /** Element by element; in RESP2 a map is an array of keys and values, so the subcommands follow their key. */
    private static List<Frame> pairwise(List<Frame> redis, List<Frame> ours) {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < redis.size(); i++) {
            Frame ourElement = i < ours.size() ? ours.get(i) : redis.get(i);
            if (i > 0 && redis.get(i - 1).equals(Frame.BulkString.of("subcommands"))) {
                out.add(new Frame.Array(flatSubcommandDocs(FrameConnection.elements(redis.get(i)),
                        FrameConnection.elements(ourElement))));
            } else {
                out.add(withSubcommandsOf(redis.get(i), ourElement));
            }
        }
        return out;
    }

    private static List<Frame> flatSubcommandDocs(List<Frame> redis, List<Frame> ours) {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < ours.size(); i += 2) {
            for (int j = 0; j < redis.size(); j += 2) {
                if (redis.get(j).equals(ours.get(i))) {
                    out.add(redis.get(j));
                    out.add(redis.get(j + 1));
                }
            }
        }
        return out;
    }

    /** In RESP3 COMMAND INFO's subcommands are a set of rows; in RESP2 an array. Each row starts with the name. */
    private static Frame subcommandRows(Frame redis, Frame ours) {
        List<Frame> rows = new ArrayList<>();
        for (Frame our : FrameConnection.elements(ours)) {
            Frame name = FrameConnection.elements(our).get(0);
            FrameConnection.elements(redis).stream().filter(row -> FrameConnection.elements(row).get(0).equals(name))
                    .findFirst().ifPresent(rows::add);
        }
        return redis instanceof Frame.Set ? new Frame.Set(rows) : new Frame.Array(rows);
    }

    private static Frame subcommandDocs(Frame.Map redis, Frame.Map ours) {
        List<Frame.Entry> entries = new ArrayList<>();
        for (Frame.Entry our : ours.entries()) {
            Optional<Frame.Entry> theirs = redis.entries().stream().filter(entry -> entry.key().equals(our.key())).findFirst();
            theirs.ifPresent(entries::add);
        }
        return new Frame.Map(entries);
    }

    private static Frame decode(String reply) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        byte[] bytes = reply.getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(bytes, 0, bytes.length);
        return decoder.next();
    }
}
