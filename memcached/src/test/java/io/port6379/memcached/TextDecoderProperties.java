// Laws of the memcached text decoder: chunking does not matter, requests round-trip, numbers read as C reads them.
package io.port6379.memcached;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TextDecoderProperties {

    private static final long MAX_ITEM = 1 << 20;

    /** What a request says, as text, to compare decoded requests by value. */
    private static String describe(TextRequest r) {
        StringBuilder s = new StringBuilder(r.command() + " " + r.flags() + " " + r.exptime() + " " + r.casUnique()
                + " " + r.noreply() + " " + r.error());
        for (byte[] key : r.keys()) {
            s.append(" k=").append(new String(key, StandardCharsets.ISO_8859_1));
        }
        if (r.data() != null) {
            s.append(" d=").append(Arrays.toString(r.data()));
        }
        return s.toString();
    }

    private static List<String> decodeWhole(byte[] input) {
        TextDecoder decoder = new TextDecoder(MAX_ITEM);
        decoder.feed(input, 0, input.length);
        List<String> out = new ArrayList<>();
        for (TextRequest r = decoder.next(); r != null; r = decoder.next()) {
            out.add(describe(r));
        }
        return out;
    }

    // tag::chunking[]
    /** Law: the requests do not depend on how the bytes were cut into reads (one byte at a time included). */
    @Property(tries = 300)
    void chunkingDoesNotChangeTheRequests(@ForAll("pipelines") byte[] input,
                                          @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 64) Integer> cuts) {
        List<String> whole = decodeWhole(input);
        TextDecoder decoder = new TextDecoder(MAX_ITEM);
        List<String> pieces = new ArrayList<>();
        int at = 0;
        int i = 0;
        while (at < input.length) {
            int n = Math.min(cuts.get(i++ % cuts.size()), input.length - at);
            decoder.feed(input, at, n);
            at += n;
            for (TextRequest r = decoder.next(); r != null; r = decoder.next()) {
                pieces.add(describe(r));
            }
        }
        assertEquals(whole, pieces);
    }
    // end::chunking[]

    /** Law: a storage request written as the protocol says comes back with the same key, flags, exptime and data. */
    @Property(tries = 500)
    void storageRequestsRoundTrip(@ForAll("keys") String key, @ForAll int flags,
                                  @ForAll @IntRange(min = -100, max = 1_000_000_000) int exptime,
                                  @ForAll @Size(max = 300) byte[] data, @ForAll boolean noreply) {
        String line = "set " + key + " " + Integer.toUnsignedString(flags) + " " + exptime + " " + data.length
                + (noreply ? " noreply" : "") + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(data);
        bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        TextDecoder decoder = new TextDecoder(MAX_ITEM);
        byte[] input = bytes.toByteArray();
        decoder.feed(input, 0, input.length);
        TextRequest request = decoder.next();
        assertEquals(TextRequest.Command.SET, request.command());
        assertEquals(key, new String(request.key(), StandardCharsets.ISO_8859_1));
        assertEquals(flags, request.flags());
        assertEquals(exptime, request.exptime());
        assertEquals(noreply, request.noreply());
        assertArrayEquals(data, request.data());
        assertEquals(null, decoder.next());
    }

    /** Law: strtoull agrees with arbitrary-precision arithmetic on C's rules (sign, wrap of '-', range, what follows). */
    @Property(tries = 1000)
    void strtoullReadsAsC(@ForAll("numbers") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        long[] out = new long[1];
        boolean ok = Numbers.strtoull(bytes, 0, bytes.length, out);
        BigInteger expected = modelStrtoull(text);
        assertEquals(expected != null, ok, text);
        if (ok) {
            assertEquals(expected.longValue(), out[0], text);
        }
    }

    /** The model: C's strtoull, then memcached's check of the sign and of what follows. */
    private static BigInteger modelStrtoull(String text) {
        String s = text.replaceFirst("^[ \\t\\n\\u000b\\f\\r]*", "");
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        String digits = s.substring(0, end);
        String rest = s.substring(digits.length());
        if (digits.isEmpty() || !rest.isEmpty() && " \t\n\u000b\f\r".indexOf(rest.charAt(0)) < 0) {
            return null;
        }
        BigInteger value = new BigInteger(digits);
        BigInteger limit = BigInteger.ONE.shiftLeft(64);
        if (value.compareTo(limit) >= 0) {
            return null; // ERANGE
        }
        if (negative) {
            value = limit.subtract(value).mod(limit);
            if (value.testBit(63)) {
                return null; // looks negative as a signed number
            }
        }
        return value;
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> space = Arbitraries.of("", " ", "\t", "  ");
        Arbitrary<String> sign = Arbitraries.of("", "", "+", "-");
        Arbitrary<String> digits = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(22),
                Arbitraries.of("18446744073709551615", "18446744073709551616", "9223372036854775808", "0"));
        Arbitrary<String> tail = Arbitraries.of("", "", " ", "\t", "x", " x", "5", "\r");
        return Combinators.combine(space, sign, digits, tail).as((a, b, c, d) -> a + b + c + d);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(250);
    }

    @Provide
    Arbitrary<byte[]> pipelines() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> value = Arbitraries.strings().withChars("ab\r\n 0").ofMaxLength(12);
        Arbitrary<String> request = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("set", "add", "append", "cas"), key, value, Arbitraries.of("", " noreply"))
                        .as((c, k, v, n) -> c + " " + k + " 3 0 " + v.length() + (c.equals("cas") ? " 9" : "") + n
                                + "\r\n" + v + "\r\n"),
                Combinators.combine(Arbitraries.of("get", "gets", "gat 10", "delete", "touch", "incr"), key)
                        .as((c, k) -> c + " " + k + (c.equals("touch") || c.equals("incr") ? " 1" : "") + "\r\n"),
                Arbitraries.of("version\r\n", "bogus\r\n", "set k 0 0 2\r\nabc\r\n", "get\n", "\r\n",
                        "flush_all 0\r\n", "set k x 0 1\r\n", "stats\r\n", "set k 0 0 2000000\r\n"));
        return request.list().ofMaxSize(30).map(list -> String.join("", list).getBytes(StandardCharsets.ISO_8859_1));
    }
}
