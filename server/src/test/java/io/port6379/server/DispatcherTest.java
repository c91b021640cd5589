// What happens around every command: lookup in any case, arity, errors, reply modes, statistics, slow log, MONITOR.
package io.port6379.server;

import io.port6379.server.stats.ServerStats;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.port6379.server.CommandRunner.NIL;
import static io.port6379.server.CommandRunner.OK;
import static io.port6379.server.CommandRunner.bulk;
import static io.port6379.server.CommandRunner.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest {

    private final CommandRunner redis = new CommandRunner();

    @Test
    void commandNamesAreCaseInsensitive() {
        assertEquals("+PONG\r\n", redis.run("pInG"));
        assertEquals(OK, redis.run("SET", "k", "v"));
        assertEquals(bulk("v"), redis.run("gEt", "k"));
    }

    @Test
    void aBugInACommandDropsItsHalfWrittenReplyAndAnswersAnError() {
        redis.server.commands().register(CommandTableTest.command("broken", 1, (client, args, reply) -> {
            reply.arrayHeader(2).bulkString("half");
            throw new IllegalStateException("boom");
        }));
        assertEquals(error("ERR internal error while running 'broken': java.lang.IllegalStateException: boom"),
                redis.run("BROKEN"));
        assertEquals("+PONG\r\n", redis.run("PING"));
    }

    @Test
    void unknownCommandQuotesNameAndFirstArguments() {
        assertEquals(error("ERR unknown command 'nosuch', with args beginning with: 'a' 'b c' "),
                redis.run("nosuch", "a", "b c"));
        assertEquals(error("ERR unknown command 'x', with args beginning with: "), redis.run("x"));
    }

    @Test
    void unknownCommandErrorIsCappedAt128BytesOfArgumentsAndStaysOneLine() {
        String long200 = "a".repeat(200);
        String reply = redis.run("bad\r\nname", long200, "second");
        assertEquals(error("ERR unknown command 'bad  name', with args beginning with: '" + "a".repeat(128) + "' "), reply);
    }

    @Test
    void wrongArityNamesTheCommandInLowerCase() {
        assertEquals(error("ERR wrong number of arguments for 'get' command"), redis.run("GET"));
        assertEquals(error("ERR wrong number of arguments for 'client|setname' command"), redis.run("CLIENT", "SETNAME"));
        assertEquals(error("ERR wrong number of arguments for 'client' command"), redis.run("CLIENT"));
    }

    @Test
    void unknownSubcommandSuggestsHelpInCapitals() {
        assertEquals(error("ERR unknown subcommand 'nope'. Try CONFIG HELP."), redis.run("config", "nope"));
    }

    @Test
    void wrongTypeComesFromTheDataStructures() {
        redis.run("SET", "s", "x");
        assertEquals(error("ERR value is not an integer or out of range"), redis.run("INCR", "s"));
    }

    @Test
    void clientReplyOffSilencesEverythingUntilOn() {
        assertEquals("", redis.run("CLIENT", "REPLY", "OFF"));
        assertEquals("", redis.run("SET", "k", "v"));
        assertEquals("", redis.run("nosuch"));
        assertEquals(OK, redis.run("CLIENT", "REPLY", "ON"));
        assertEquals(bulk("v"), redis.run("GET", "k"));
    }

    @Test
    void clientReplySkipSilencesExactlyTheNextCommand() {
        assertEquals("", redis.run("CLIENT", "REPLY", "SKIP"));
        assertEquals("", redis.run("PING"));
        assertEquals("+PONG\r\n", redis.run("PING"));
    }

    @Test
    void statisticsCountCallsAndErrors() {
        redis.run("SET", "k", "v");
        redis.run("GET", "k");
        redis.run("GET", "missing");
        redis.run("GET");
        ServerStats stats = redis.server.stats();
        assertEquals(3, stats.commandsProcessed);
        assertEquals(1, stats.keyspaceHits);
        assertEquals(1, stats.keyspaceMisses);
        assertEquals(1, stats.perCommand.get("get").rejectedCalls);
        String info = redis.run("INFO", "commandstats");
        assertTrue(info.contains("cmdstat_get:calls=2,"), info);
    }

    @Test
    void slowLogKeepsCommandsAboveTheThresholdNewestFirst() {
        redis.run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        redis.run("SET", "a", "1");
        redis.run("GET", "a");
        assertEquals(":3\r\n", redis.run("SLOWLOG", "LEN")); // CONFIG SET itself, SET, GET
        String newest = redis.run("SLOWLOG", "GET", "2"); // SLOWLOG LEN itself was logged too, as in Redis
        assertTrue(newest.startsWith("*2\r\n*6\r\n:3\r\n"), newest);
        assertTrue(newest.contains("*2\r\n$7\r\nSLOWLOG\r\n$3\r\nLEN\r\n"), newest);
        assertTrue(newest.contains("*2\r\n$3\r\nGET\r\n$1\r\na\r\n"), newest);
        redis.run("CONFIG", "SET", "slowlog-max-len", "1");
        assertEquals(":1\r\n", redis.run("SLOWLOG", "LEN"));
    }

    @Test
    void slowLogShortensHugeArgumentsAsRedisDoes() {
        redis.run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        redis.run("SET", "k", "v".repeat(200));
        String entry = redis.run("SLOWLOG", "GET", "1");
        assertTrue(entry.contains("v".repeat(128) + "... (72 more bytes)"), entry);
    }

    @Test
    void monitorSeesOtherClientsCommandsQuotedButNotAdminCommands() {
        List<String> pushed = new ArrayList<>();
        Client monitor = new Client(99, redis.server, new Client.Channel() {
            @Override
            public void push(byte[] frame) {
                pushed.add(new String(frame, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void close() {
            }
        }, "127.0.0.1:5000", "127.0.0.1:6379");
        assertEquals(OK, redis.runAs(monitor, "MONITOR"));
        redis.run("SET", "k", "a \"b\"\n\u0001");
        redis.run("CONFIG", "GET", "hz");
        assertEquals(1, pushed.size());
        assertTrue(pushed.getFirst().matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:0] \"SET\" \"k\" \"a \\\\\"b\\\\\"\\\\n\\\\x01\"\r\n"),
                pushed.getFirst());
        redis.runAs(monitor, "RESET");
        redis.run("GET", "k");
        assertEquals(1, pushed.size());
    }

    @Test
    void nilRepliesFollowTheClientsProtocol() {
        assertEquals(NIL, redis.run("GET", "missing"));
        redis.run("HELLO", "3");
        assertEquals("_\r\n", redis.run("GET", "missing"));
    }
}
