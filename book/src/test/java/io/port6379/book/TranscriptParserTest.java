// The transcript convention of chapters/README.md, as the parser and the redis-cli runner understand it.
package io.port6379.book;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptParserTest {

    private static final Path CHAPTER = Chapters.directory().resolve("99-example.adoc");

    @Test
    void stepsAreTheDollarLinesOfTryBlocksWithTheLinesBelowThemAsOutput() {
        Transcript transcript = Transcript.parse(CHAPTER, List.of(
                "Some text.",
                "",
                "[source,console,role=try]",
                "----",
                "$ redis-cli SET greeting \"hello world\"",
                "OK",
                "$ redis-cli LRANGE empty 0 -1",
                "(empty array)",
                "----",
                "",
                "[source,console]",
                "----",
                "$ redis-cli not-checked",
                "----",
                "[source,console,role=try]",
                "----",
                "$ redis-cli -p 6379 MGET a b",
                "1) (nil)",
                "2) (nil)   ",
                "",
                "----"));
        List<Transcript.Step> steps = transcript.steps();
        assertEquals(3, steps.size());
        assertEquals(List.of("SET", "greeting", "hello world"), steps.get(0).arguments());
        assertEquals(List.of("OK"), steps.get(0).expected());
        assertEquals(5, steps.get(0).line());
        assertEquals(List.of("(empty array)"), steps.get(1).expected());
        assertEquals(List.of("-p", "6379", "MGET", "a", "b"), steps.get(2).arguments());
        assertEquals(List.of("1) (nil)", "2) (nil)"), steps.get(2).expected());
    }

    @Test
    void opensslStepsAndContinuedLinesMakeTheCertificatesTlsStepsUse() {
        Transcript transcript = Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]",
                "----",
                "$ openssl req -x509 -new -nodes \\",
                "    -keyout ca.key -out ca.crt",
                "$ redis-cli -p 6380 --tls --cacert ca.crt PING",
                "PONG",
                "----"));
        List<Transcript.Step> steps = transcript.steps();
        assertEquals("openssl", steps.get(0).program());
        assertEquals(List.of("req", "-x509", "-new", "-nodes", "-keyout", "ca.key", "-out", "ca.crt"),
                steps.get(0).arguments());
        assertEquals(5, steps.get(1).line());
        assertTrue(steps.get(1).overTls() && transcript.usesTls());
        assertEquals(List.of("redis-cli", "--no-raw", "-h", "127.0.0.1", "-p", "4243", "--tls", "--cacert", "ca.crt", "PING"),
                RedisCli.command(steps.get(1).arguments(), 4243));
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]", "----", "$ openssl rand -hex 4", "0a1b2c3d", "----")));
    }

    @Test
    void redisCliWithoutACommandIsAPromptOnOneConnection() {
        Transcript transcript = Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]",
                "----",
                "$ redis-cli",
                "127.0.0.1:6379> MULTI",
                "OK",
                "127.0.0.1:6379(TX)> INCR visits",
                "QUEUED",
                "127.0.0.1:6379(TX)> EXEC",
                "1) (integer) 1",
                "127.0.0.1:6379> SELECT 1",
                "OK",
                "127.0.0.1:6379[1]> SET k \"a b\"",
                "OK",
                "$ redis-cli GET visits",
                "\"1\"",
                "----"));
        List<Transcript.Step> steps = transcript.steps();
        assertEquals(2, steps.size());
        assertTrue(steps.get(0).interactive());
        assertEquals(List.of("MULTI", "INCR visits", "EXEC", "SELECT 1", "SET k \"a b\""), steps.get(0).typed());
        assertEquals(List.of("OK", "QUEUED", "1) (integer) 1", "OK", "OK"), steps.get(0).expected());
        assertFalse(steps.get(1).interactive());
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]", "----", "$ redis-cli", "OK", "----")));
    }

    @Test
    void aTryBlockMayOnlyRunRedisCliAndOpenssl() {
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]", "----", "$ telnet localhost 6379", "----")));
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse(CHAPTER, List.of(
                "[source,console,role=try]", "----", "OK", "----")));
    }

    @Test
    void shellQuotingIsThatOfSh() {
        assertEquals(List.of("redis-cli", "SET", "k", "a b", "it's", "", "x\"y"),
                CommandLine.split("redis-cli SET k 'a b' it\\'s \"\" \"x\\\"y\""));
    }

    @Test
    void dollarQuotesTakeCEscapesForMultiLineArguments() {
        assertEquals(List.of("redis-cli", "FUNCTION", "LOAD", "#!lua name=lib\nreturn 'it\\'s'", "x\ty"),
                CommandLine.split("redis-cli FUNCTION LOAD $'#!lua name=lib\\nreturn \\'it\\\\\\'s\\'' $'x\\ty'"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("redis-cli GET $'open"));
    }

    @Test
    void pipesRedirectionsAndSubstitutionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("redis-cli GET k | head"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("redis-cli GET k > out"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("redis-cli GET $(whoami)"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("redis-cli GET 'open"));
    }

    @Test
    void theReadersHostAndPortAreReplacedByTheTestServers() {
        assertEquals(List.of("redis-cli", "--no-raw", "-h", "127.0.0.1", "-p", "4242", "-3", "-n", "2", "GET", "-p"),
                RedisCli.command(List.of("-h", "localhost", "-p", "6379", "-3", "-n", "2", "GET", "-p"), 4242));
    }
}
