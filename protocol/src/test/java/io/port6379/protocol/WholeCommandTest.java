// The edges of the request decoder's fast path: each input decodes the same in one piece as one byte at a time.
package io.port6379.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inputs at the border of what the fast path accepts. In one piece, a whole command may take the fast path; one
 * byte at a time, only the state machine runs. Each test states the outcome and checks that both ways reach it.
 */
class WholeCommandTest {

    private static final long NO_LIMIT = ProtocolLimits.DEFAULT_MAX_BULK_LENGTH;

    private static void assertDecodes(String input, long maxBulkLength, boolean authRequired,
                                      WholeCommandProperties.Outcome expected) {
        byte[] bytes = GoldenCase.bytes(input);
        assertEquals(expected, WholeCommandProperties.decode(List.of(bytes), maxBulkLength, authRequired),
                "in one piece");
        assertEquals(expected, WholeCommandProperties.decode(Decoding.byteByByte(bytes), maxBulkLength, authRequired),
                "one byte at a time");
    }

    private static void assertDecodes(String input, List<List<String>> commands, int pending) {
        assertDecodes(input, NO_LIMIT, false, new WholeCommandProperties.Outcome(commands, null, pending));
    }

    private static void assertFails(String input, long maxBulkLength, boolean authRequired, String error) {
        assertDecodes(input, maxBulkLength, authRequired, new WholeCommandProperties.Outcome(List.of(), error, -1));
    }

    private static String multibulk(List<String> command) {
        return GoldenCase.latin1(RequestDecoderProperties.multibulk(List.of(command)));
    }

    private static List<String> arguments(int count) {
        List<String> command = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            command.add("a" + i);
        }
        return command;
    }

    @Test
    void commandOf1024ArgumentsAndOf1025DecodeAlike() {
        assertDecodes(multibulk(arguments(1024)), List.of(arguments(1024)), 0);
        assertDecodes(multibulk(arguments(1025)), List.of(arguments(1025)), 0);
    }

    @Test
    void emptyArgumentDecodes() {
        assertDecodes("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n", List.of(List.of("SET", "", "")), 0);
    }

    @Test
    void payloadOfExactly1MbAndOneByteMoreDecodeAlike() {
        String mb = "x".repeat(1024 * 1024);
        assertDecodes(multibulk(List.of("SET", "k", mb)), List.of(List.of("SET", "k", mb)), 0);
        assertDecodes(multibulk(List.of("SET", "k", mb + "y")), List.of(List.of("SET", "k", mb + "y")), 0);
    }

    @Test
    void bulkLengthAtAndAboveProtoMaxBulkLen() {
        assertDecodes("*1\r\n$4\r\nPING\r\n", 4, false,
                new WholeCommandProperties.Outcome(List.of(List.of("PING")), null, 0));
        assertFails("*1\r\n$4\r\nPING\r\n", 3, false, RequestDecoder.INVALID_BULK_LENGTH);
    }

    @Test
    void unauthenticatedClientIsHeldToItsLimits() {
        assertDecodes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", NO_LIMIT, true,
                new WholeCommandProperties.Outcome(List.of(List.of("GET", "k")), null, 0));
        assertFails(multibulk(arguments(11)), NO_LIMIT, true, RequestDecoder.UNAUTHENTICATED_MULTIBULK_LENGTH);
        assertFails(multibulk(List.of("SET", "k", "v".repeat(16385))), NO_LIMIT, true,
                RequestDecoder.UNAUTHENTICATED_BULK_LENGTH);
    }

    @Test
    void commandWithoutItsTwoTrailingBytesWaitsForThem() {
        assertDecodes("*1\r\n$3\r\nGET", List.of(), 11);
        assertDecodes("*1\r\n$3\r\nGET\r", List.of(), 12);
        assertDecodes("*1\r\n$3\r\nGETxy*1", List.of(List.of("GET")), 2); // the two bytes are skipped unseen
    }

    @Test
    void byteAfterAHeadersCrIsSkippedUnseen() {
        assertDecodes("*1\rX$4\r\nPING\r\n", List.of(List.of("PING")), 0);
        assertDecodes("*1\r\n$4\rXPING\r\n", List.of(List.of("PING")), 0);
    }

    @Test
    void numbersOutsideThePlainFormGoTheStateMachinesWay() {
        assertFails("*01\r\n$4\r\nPING\r\n", NO_LIMIT, false, RequestDecoder.INVALID_MULTIBULK_LENGTH);
        assertFails("*1\r\n$04\r\nPING\r\n", NO_LIMIT, false, RequestDecoder.INVALID_BULK_LENGTH);
        assertFails("*+1\r\n$4\r\nPING\r\n", NO_LIMIT, false, RequestDecoder.INVALID_MULTIBULK_LENGTH);
        assertFails("*1\r\n$-1\r\n", NO_LIMIT, false, RequestDecoder.INVALID_BULK_LENGTH);
        assertFails("*1\r\n$4294967297\r\nx\r\n", NO_LIMIT, false, RequestDecoder.INVALID_BULK_LENGTH); // 2^32 + 1
        assertFails("*4294967297\r\n$1\r\nx\r\n", NO_LIMIT, false, RequestDecoder.INVALID_MULTIBULK_LENGTH);
        assertFails("*1\r\n:1\r\n", NO_LIMIT, false, "Protocol error: expected '$', got ':'");
        assertDecodes("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", List.of(List.of("PING")), 0);
    }

    @Test
    void nulInAHeaderStallsTheCommandEitherWay() {
        String stalled = "*1\r\n$4\u0000\r\nPING\r\n";
        assertDecodes(stalled, List.of(), stalled.length());
    }

    @Test
    void largeValuesKeepTheirEveryByte() {
        List<String> command = new ArrayList<>(Collections.nCopies(3, ""));
        command.set(0, "SET");
        command.set(1, "key:1");
        command.set(2, "0123456789".repeat(1000));
        assertDecodes(multibulk(command), List.of(command), 0);
    }
}
