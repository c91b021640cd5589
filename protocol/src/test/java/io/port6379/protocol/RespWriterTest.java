// Byte-exact replies, in RESP2 and RESP3, as redis-server 7.0.15 writes them.
package io.port6379.protocol;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RespWriterTest {

    /** The size from which RespWriter writes a bulk string by reference (its LENT_BULK). */
    private static final int LENT_BULK = 16 * 1024;

    private static String written(int protocolVersion, Consumer<RespWriter> write) {
        RespWriter writer = new RespWriter();
        writer.protocolVersion(protocolVersion);
        write.accept(writer);
        return new String(writer.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void resp2BasicReplies() {
        assertEquals("+OK\r\n-ERR x\r\n:0\r\n:-9223372036854775808\r\n:9223372036854775807\r\n$3\r\nabc\r\n$0\r\n\r\n",
                written(2, w -> w.simpleString("OK").error("ERR x").integer(0).integer(Long.MIN_VALUE)
                        .integer(Long.MAX_VALUE).bulkString("abc").bulkString(new byte[0])));
    }

    @Test
    void integersAroundTheIntBoundaryKeepEveryDigit() {
        assertEquals(":-2147483648\r\n:-2147483649\r\n:2147483647\r\n:2147483648\r\n:-1\r\n:10\r\n",
                written(2, w -> w.integer(Integer.MIN_VALUE).integer(Integer.MIN_VALUE - 1L).integer(Integer.MAX_VALUE)
                        .integer(Integer.MAX_VALUE + 1L).integer(-1).integer(10)));
    }

    @Test
    void nullsDependOnTheProtocolVersion() {
        assertEquals("$-1\r\n*-1\r\n$-1\r\n", written(2, w -> w.nullBulkString().nullArray().nullValue()));
        assertEquals("_\r\n_\r\n_\r\n", written(3, w -> w.nullBulkString().nullArray().nullValue()));
    }

    @Test
    void aggregateHeadersDependOnTheProtocolVersion() {
        assertEquals("*4\r\n*3\r\n*2\r\n*1\r\n", written(2, w -> w.mapHeader(2).setHeader(3).pushHeader(2).arrayHeader(1)));
        assertEquals("%2\r\n~3\r\n>2\r\n*1\r\n", written(3, w -> w.mapHeader(2).setHeader(3).pushHeader(2).arrayHeader(1)));
    }

    @Test
    void doublesAreWrittenLikeZscoreInRedis70() {
        // ZSCORE replies recorded from redis-server 7.0.15 for scores 0.1, 1.5, 3, inf, -inf, 1e20,
        // 123456789012345678 and 0.00001
        assertEquals("$19\r\n0.10000000000000001\r\n$3\r\n1.5\r\n$1\r\n3\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$5\r\n1e+20\r\n"
                        + "$22\r\n1.2345678901234568e+17\r\n$22\r\n1.0000000000000001e-05\r\n",
                written(2, w -> w.doubleValue(0.1).doubleValue(1.5).doubleValue(3).doubleValue(Double.POSITIVE_INFINITY)
                        .doubleValue(Double.NEGATIVE_INFINITY).doubleValue(1e20).doubleValue(123456789012345678.0)
                        .doubleValue(0.00001)));
        assertEquals(",0.10000000000000001\r\n,1.5\r\n,3\r\n,inf\r\n,-inf\r\n,1e+20\r\n,0\r\n,nan\r\n",
                written(3, w -> w.doubleValue(0.1).doubleValue(1.5).doubleValue(3).doubleValue(Double.POSITIVE_INFINITY)
                        .doubleValue(Double.NEGATIVE_INFINITY).doubleValue(1e20).doubleValue(0).doubleValue(Double.NaN)));
    }

    @Test
    void resp3ScalarsAndTheirResp2Forms() {
        // as DEBUG PROTOCOL true/false/bignum/verbatim answer in each protocol on redis-server 7.0.15
        BigInteger big = new BigInteger("1234567999999999999999999999999999999");
        byte[] text = "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII);
        assertEquals("#t\r\n#f\r\n(1234567999999999999999999999999999999\r\n=29\r\ntxt:This is a verbatim\nstring\r\n",
                written(3, w -> w.bool(true).bool(false).bigNumber(big).verbatim("txt", text)));
        assertEquals(":1\r\n:0\r\n$37\r\n1234567999999999999999999999999999999\r\n$25\r\nThis is a verbatim\nstring\r\n",
                written(2, w -> w.bool(true).bool(false).bigNumber(big).verbatim("txt", text)));
    }

    @Test
    void attributesAreDroppedInResp2() {
        Frame attribute = new Frame.Attribute(
                java.util.List.of(new Frame.Entry(Frame.BulkString.of("ttl"), new Frame.Integer(3))), new Frame.Integer(1));
        assertEquals(":1\r\n", written(2, w -> w.frame(attribute)));
        assertEquals("|1\r\n$3\r\nttl\r\n:3\r\n:1\r\n", written(3, w -> w.frame(attribute)));
    }

    @Test
    void bulkErrorBecomesASimpleErrorOnOneLineInResp2() {
        byte[] message = "ERR two\r\nlines".getBytes(StandardCharsets.US_ASCII);
        assertEquals("-ERR two  lines\r\n", written(2, w -> w.bulkError(message)));
        assertEquals("!14\r\nERR two\r\nlines\r\n", written(3, w -> w.bulkError(message)));
    }

    @Test
    void errorTextKeepsRawBytesOneCharPerByte() {
        assertEquals("-ERR Protocol error: expected '$', got '\u00ff'\r\n",
                written(2, w -> w.error("ERR Protocol error: expected '$', got '\u00ff'")));
    }

    @Test
    void lineBreaksInAnErrorBecomeSpacesAsInRedis() {
        // redis-server 7.0.15 answers *2 FOO "a\r\nb" with exactly this line
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n",
                written(2, w -> w.error("ERR unknown command 'FOO', with args beginning with: 'a\r\nb' ")));
    }

    @Test
    void bufferIsReusableAfterAFlush() throws java.io.IOException {
        RespWriter writer = new RespWriter();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writer.bulkString(new byte[3 * 1024 * 1024]).flushTo(out);
        writer.simpleString("OK").flushTo(out);
        assertEquals(0, writer.size());
        assertEquals(3 * 1024 * 1024 + "$3145728\r\n\r\n".length() + "+OK\r\n".length(), out.size());
    }

    @Test
    void aLargeBulkStringGoesOutByReferenceBetweenTheBytesAroundIt() throws java.io.IOException {
        byte[] large = new byte[LENT_BULK + 3];
        java.util.Arrays.fill(large, (byte) 'v');
        String expected = "*3\r\n$" + large.length + "\r\n" + "v".repeat(large.length) + "\r\n:7\r\n$" + large.length
                + "\r\n" + "v".repeat(large.length) + "\r\n";
        RespWriter writer = new RespWriter();
        writer.arrayHeader(3).bulkString(large).integer(7).bulkString(large);
        assertEquals(expected.length(), writer.size());
        assertEquals(expected, new String(writer.toByteArray(), StandardCharsets.ISO_8859_1));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writer.flushTo(out);
        assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1));
        assertEquals(0, writer.size());
        writer.integer(1).flushTo(out); // the writer is empty and usable again
        assertEquals(expected + ":1\r\n", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void truncatingAfterALargeBulkStringKeepsWhatCameBefore() {
        byte[] large = new byte[LENT_BULK];
        RespWriter writer = new RespWriter();
        writer.integer(1);
        int before = writer.size();
        writer.bulkString(large).integer(2);
        writer.truncate(before + 10); // inside the large value: what a failed command's cut never does, but may
        writer.truncate(before);
        writer.integer(3);
        assertEquals(":1\r\n:3\r\n", new String(writer.toByteArray(), StandardCharsets.ISO_8859_1));
    }
}
