// What the reader accepts and what it refuses: Redis's compact encodings, and corrupted or unsupported files.
package io.port6379.server.persistence;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdbReaderTest {

    private static List<String> texts(List<byte[]> elements) {
        return elements.stream().map(e -> new String(e, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void ziplistFromRedisDocumentationDecodesToTwoAndFive() {
        // ziplist.c's example: zlbytes 15, zltail 12, zllen 2, entries "00 f3" (2) and "02 f6" (5), end ff
        byte[] zl = HexFormat.of().parseHex("0f0000000c0000000200" + "00f3" + "02f6" + "ff");
        assertEquals(List.of("2", "5"), texts(Ziplist.decode(zl)));
    }

    @Test
    void ziplistStringsAndWideIntegers() {
        // "ab" (6-bit length), int16 -2, int64 2^40
        byte[] zl = HexFormat.of().parseHex("1d000000120000000300" + "00026162" + "04c0feff" + "04e0" + "0000000000010000" + "ff");
        assertEquals(List.of("ab", "-2", "1099511627776"), texts(Ziplist.decode(zl)));
    }

    @Test
    void listpackStringsAndIntegers() {
        // total 20, 4 elements: "a" (6-bit string), 5 (7-bit uint), -1 (13-bit int), 1000000 (int24); end ff
        byte[] lp = HexFormat.of().parseHex("140000000400" + "816102" + "0501" + "dfff02" + "f240420f04" + "ff");
        assertEquals(List.of("a", "5", "-1", "1000000"), texts(Listpack.decode(lp)));
    }

    @Test
    void listpackWithAWrongCountIsRejectedOnlyByDeepSanitization() throws Exception {
        // a hash in a listpack (type 16): "a" -> 5, with a header that claims 4 elements
        byte[] value = HexFormat.of().parseHex("10" + "0c" + "0c0000000400" + "816102" + "0501" + "ff");
        assertEquals("hash", RdbReader.readValue(new java.io.ByteArrayInputStream(value), new byte[0], EncodingLimits.REDIS_DEFAULTS, false).type());
        assertThrows(RdbException.class, () -> RdbReader.readValue(new java.io.ByteArrayInputStream(value), new byte[0], EncodingLimits.REDIS_DEFAULTS, true));
    }

    @Test
    void intsetOfEachWidth() {
        assertEquals(List.of("-3", "7"), texts(Intsets.decode(Intsets.encode(new long[] {-3, 7}, 2))));
        assertEquals(List.of("1", "70000"), texts(Intsets.decode(Intsets.encode(new long[] {1, 70000}, 2))));
        assertEquals(List.of("-5000000000"), texts(Intsets.decode(Intsets.encode(new long[] {-5000000000L}, 2))));
    }

    @Test
    void zipmapFromRedis2() {
        // count 1, "f" -> "v" with one byte of padding, end
        byte[] zm = HexFormat.of().parseHex("01" + "0166" + "0101" + "76" + "00" + "ff");
        assertEquals(List.of("f", "v"), texts(Zipmap.decode(zm)));
    }

    private static byte[] file(String hexAfterHeader, String version) {
        byte[] body = HexFormat.of().parseHex(hexAfterHeader);
        byte[] header = ("REDIS" + version).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(body);
        byte[] withoutCrc = out.toByteArray();
        long crc = Crc64.of(withoutCrc);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)));
        }
        return out.toByteArray();
    }

    private static String failure(byte[] file) {
        return assertThrows(RdbException.class, () -> RdbRoundTripProperties.read(file)).getMessage();
    }

    @Test
    void aMinimalFileWithOneKeyLoads() throws IOException {
        Dataset data = RdbRoundTripProperties.read(file("fe00" + "00" + "016b" + "c064" + "ff", "0010"));
        assertEquals("{0={k=Key[type=string, content=100, expireAt=-1]}}", data.toString());
    }

    @Test
    void theSecondsExpiryOpcodeOfOldFilesIsReadAsMilliseconds() throws IOException {
        Dataset data = RdbRoundTripProperties.read(file("fe00" + "fd" + "00f15365" + "00016b" + "0176" + "ff", "0009"));
        assertEquals(1_700_000_000_000L, data.databases.get(0).get("k").expireAt());
    }

    @Test
    void wrongSignatureIsRejected() {
        assertEquals("Wrong signature trying to load DB from file", failure(file("ff", "ABCD")));
    }

    @Test
    void aNewerFormatVersionIsRejected() {
        assertEquals("Can't handle RDB format version 11", failure(file("ff", "0011")));
    }

    @Test
    void aWrongChecksumIsRejected() {
        byte[] bytes = file("fe00" + "00016b0176" + "ff", "0010");
        bytes[bytes.length - 1] ^= 1;
        assertTrue(failure(bytes).startsWith("Wrong RDB checksum expected: ("));
    }

    @Test
    void aZeroChecksumMeansNotComputed() throws IOException {
        byte[] bytes = file("fe00" + "00016b0176" + "ff", "0010");
        Arrays.fill(bytes, bytes.length - 8, bytes.length, (byte) 0);
        assertEquals(1, RdbRoundTripProperties.read(bytes).keyCount());
    }

    @Test
    void aTruncatedFileIsAnEndOfFileError() {
        byte[] bytes = file("fe00" + "00016b0176" + "ff", "0010");
        byte[] truncated = Arrays.copyOf(bytes, 14);
        assertThrows(EOFException.class, () -> RdbRoundTripProperties.read(truncated));
    }

    @Test
    void moduleAuxDataIsRefusedClearly() {
        assertTrue(failure(file("f7" + "01", "0010")).contains("AUX module data"));
    }

    @Test
    void aPreGaFunctionRecordIsRefusedClearly() {
        assertTrue(failure(file("f6" + "00", "0010")).contains("Pre-GA function format not supported"));
    }

    @Test
    void aFunctionLibraryIsHandedToTheSinkAsItsCode() throws IOException {
        List<String> codes = new java.util.ArrayList<>();
        RdbReader.read(new ByteArrayInputStream(file("f5" + "03616263" + "ff", "0010")), true, new RdbReader.Sink() {
            @Override
            public void entry(int db, byte[] key, RedisValue value, long expireAtMillis) {
            }

            @Override
            public void function(byte[] code) {
                codes.add(new String(code, StandardCharsets.ISO_8859_1));
            }
        });
        assertEquals(List.of("abc"), codes);
    }

    @Test
    void aStreamNodeKeyThatIsNotAnIdIsRefusedNamingTheKey() {
        assertEquals("Stream node key entry is not the size of a stream ID in key 's'",
                failure(file("fe00" + "1301" + "73" + "01" + "03616263", "0010")));
    }

    @Test
    void anUnknownTypeIsRejected() {
        assertTrue(failure(file("fe00" + "64", "0010")).startsWith("Unknown RDB value type 100"));
    }

    @Test
    void emptyCollectionsFromOlderVersionsAreSkipped() throws IOException {
        assertEquals(0, RdbRoundTripProperties.read(file("fe00" + "01016c00" + "ff", "0009")).keyCount());
    }

    @Test
    void auxFieldsReachTheSink() throws IOException {
        StringBuilder seen = new StringBuilder();
        RdbReader.read(new ByteArrayInputStream(file("fa" + "0161" + "0162" + "ff", "0010")), true, EncodingLimits.REDIS_DEFAULTS, new RdbReader.Sink() {
            @Override
            public void entry(int db, byte[] key, RedisValue value, long expireAtMillis) {
            }

            @Override
            public void aux(String name, byte[] value) {
                seen.append(name).append('=').append(new String(value, StandardCharsets.US_ASCII));
            }
        });
        assertEquals("a=b", seen.toString());
    }
}
