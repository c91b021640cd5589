// DEBUG against both servers: the scripted subcommands byte for byte, DEBUG OBJECT's line, the refusal when disabled.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both servers run with {@code enable-debug-command yes}; {@code compat/debug.redis} holds what compares byte for
 * byte (digests, PROTOCOL in both protocol versions, errors, POPULATE, RELOAD). DEBUG OBJECT's line holds an address
 * and an LRU clock, so it is compared with those masked.
 */
class DebugCommandsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void scriptedSubcommandsGiveRedisReplies() throws IOException {
        CompatibilityTest.runScript(servers, "debug.redis");
    }

    /** Long strings that LZF cannot shorten: our LZF compressor finds other matches than Redis's (see DebugCommands). */
    private static final String DISTINCT = "The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij";

    @Test
    void debugObjectShowsRedisFieldsForEveryEncoding() throws IOException {
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            String[][] writes = {{"SET", "int", "7"}, {"SET", "bigint", "123456"}, {"SET", "embstr", "hello"},
                {"SET", "raw", DISTINCT.substring(0, 60)}, {"APPEND", "appended", "abc"}, {"RPUSH", "list", "a", "b", "1", "2"},
                {"SADD", "intset", "1", "2"}, {"SADD", "set", "a", "b"}, {"HSET", "hash", "f", "v"},
                {"ZADD", "zset", "1", "a", "2.5", "b"}, {"SET", "long", DISTINCT}};
            for (RespConnection connection : new RespConnection[] {real, ours}) {
                connection.call("FLUSHALL");
                for (String[] write : writes) {
                    connection.call(write);
                }
            }
            for (String[] write : writes) {
                String expected = masked(real.call("DEBUG", "OBJECT", write[1]));
                String actual = masked(ours.call("DEBUG", "OBJECT", write[1]));
                assertEquals(expected, actual, write[1]);
                assertTrue(actual.startsWith("+Value at:ADDR refcount:"), actual);
            }
        }
    }

    /**
     * Redis changes a value in place where it can (INCR of a number outside the shared 0..9999, APPEND to a raw
     * string, a push), so DEBUG OBJECT shows the same address before and after; its own test suite checks it for
     * INCR. Each row is a command, and whether the address it leaves must be the one before it ("same") or may be
     * new ("new": a new key, or the first APPEND, which turns an embstr into a new raw string).
     */
    @Test
    void debugObjectKeepsTheAddressAcrossInPlaceChanges() throws IOException {
        String[][] changes = {{"new", "SET", "counter", "20000"}, {"same", "INCR", "counter"},
            {"same", "INCRBY", "counter", "5"}, {"new", "SET", "text", "abc"}, {"new", "APPEND", "text", "def"},
            {"same", "APPEND", "text", "ghi"}, {"new", "RPUSH", "list", "a"}, {"same", "RPUSH", "list", "b"}};
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection connection = new RespConnection(port)) {
                connection.call("FLUSHALL");
                String address = null;
                for (String[] change : changes) {
                    String[] command = java.util.Arrays.copyOfRange(change, 1, change.length);
                    connection.call(command);
                    String now = address(connection.call("DEBUG", "OBJECT", command[1]));
                    if (change[0].equals("same")) {
                        assertEquals(address, now, port + ": " + String.join(" ", command));
                    }
                    address = now;
                    assertEquals(address, address(connection.call("DEBUG", "OBJECT", command[1])), port + ": a second look");
                }
            }
        }
    }

    private static String address(String debugObject) {
        return debugObject.substring(0, debugObject.indexOf(' ', "+Value ".length()));
    }

    @Test
    void disabledDebugIsRefusedBeforeItRunsAndInsideMulti() throws Exception {
        try (BothServers disabled = BothServers.start();
             RespConnection real = new RespConnection(disabled.redis().port());
             RespConnection ours = new RespConnection(disabled.ours().port())) {
            String[][] calls = {{"DEBUG", "SLEEP", "0"}, {"DEBUG", "FOO"}, {"DEBUG"}, {"MULTI"}, {"DEBUG", "DIGEST"},
                {"EXEC"}, {"INFO", "commandstats"}};
            for (String[] call : calls) {
                String expected = real.call(call);
                String actual = ours.call(call);
                if (call[0].equals("INFO")) { // refusals are rejected calls, as Redis counts them
                    assertEquals(statLine(expected, "cmdstat_debug"), statLine(actual, "cmdstat_debug"));
                } else {
                    assertEquals(expected, actual, String.join(" ", call));
                }
            }
        }
    }

    @Test
    void protocolPushAndAttribInResp3ComeBeforeTheirReply() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection connection = new RespConnection(port)) {
                connection.call("HELLO", "3");
                connection.send("DEBUG", "PROTOCOL", "PUSH");
                connection.send("DEBUG", "PROTOCOL", "ATTRIB");
                connection.send("PING");
                String replies = connection.readReply() + connection.readReply() + connection.readReply()
                        + connection.readReply() + connection.readReply();
                assertEquals(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n"
                        + "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
                        + "$39\r\nSome real reply following the attribute\r\n+PONG\r\n", replies, "port " + port);
            }
        }
    }

    /** Redis's own fuzz of its glob matcher runs for about 15 s on this machine, so only ours is asked; the text is Redis's. */
    @Test
    void stringmatchTestFuzzesTheGlobMatcher() throws IOException {
        try (RespConnection ours = new RespConnection(servers.ours().port())) {
            assertEquals("+Apparently Redis did not crash: test passed\r\n", ours.call("DEBUG", "STRINGMATCH-TEST"));
        }
    }

    @Test
    void loadaofReplaysTheAppendOnlyFileInPlace() throws Exception {
        try (BothServers aof = BothServers.start("--enable-debug-command", "yes", "--appendonly", "yes");
             RespConnection real = new RespConnection(aof.redis().port());
             RespConnection ours = new RespConnection(aof.ours().port())) {
            String[][] calls = {{"SET", "a", "1"}, {"RPUSH", "l", "x", "y"}, {"ZADD", "z", "1.5", "m"}, {"INCR", "a"},
                {"DEBUG", "DIGEST"}, {"DEBUG", "LOADAOF"}, {"DEBUG", "DIGEST"}, {"GET", "a"}, {"LRANGE", "l", "0", "-1"},
                {"DBSIZE"}, {"SET", "b", "2", "EX", "100"}, {"PERSIST", "b"}, {"DEBUG", "LOADAOF"}, {"TTL", "b"},
                {"DEBUG", "LOADAOF"}, {"DEBUG", "DIGEST"}}; // LOADAOF is not recorded, so a second one does not replay it
            for (String[] call : calls) {
                assertEquals(real.call(call), ours.call(call), String.join(" ", call));
            }
        }
    }

    /** Ours only: the JVM's heap histogram, where Redis has jemalloc's tools. */
    @Test
    void jmapShowsTheHeapsClassHistogram() throws IOException {
        try (RespConnection ours = new RespConnection(servers.ours().port())) {
            String histogram = ours.call("DEBUG", "JMAP");
            assertTrue(histogram.contains("#instances") && histogram.contains("java.lang.String"), histogram);
        }
    }

    private static String statLine(String info, String name) {
        return info.lines().filter(line -> line.startsWith(name + ":")).findFirst().orElse("no " + name);
    }

    /** The address, the LRU clock and the idle seconds differ between any two runs, even of Redis. */
    private static String masked(String line) {
        return line.replaceAll("Value at:0x[0-9a-f]+", "Value at:ADDR").replaceAll("lru:\\d+", "lru:N")
                .replaceAll("lru_seconds_idle:\\d+", "lru_seconds_idle:N");
    }
}
