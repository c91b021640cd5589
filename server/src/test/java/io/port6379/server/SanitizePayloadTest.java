// sanitize-dump-payload: RESTORE of payloads whose checksum is right but whose blobs are corrupt, on both servers.
package io.port6379.server;

import io.port6379.server.persistence.Crc64;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each payload carries a valid CRC-64, so only the blob inside decides. With {@code yes} (and {@code clients}, for
 * a client's RESTORE) both servers refuse every corrupt one with {@code Bad data format}; with {@code no} Redis
 * accepts the blobs whose corruption only a deep check sees (a wrong back length, an unsorted intset), and so does
 * ours; what ours cannot hold at all (duplicate fields, an odd hash) it refuses whatever the setting.
 */
class SanitizePayloadTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static final String BAD = "-ERR Bad data format\r\n";

    /** Payloads whose corruption only a deep check sees: Redis with {@code no} accepts them. */
    private static final Map<String, byte[]> DEEP_ONLY = new LinkedHashMap<>();

    static {
        DEEP_ONLY.put("listpack back length wrong", hashListpack(true, false, "a", "1", "b", "2"));
        DEEP_ONLY.put("listpack count wrong", hashListpack(false, true, "a", "1", "b", "2"));
        DEEP_ONLY.put("intset not sorted", intset(5, 3, 9));
    }

    @Test
    void deepSanitizationRefusesWhatOnlyADeepCheckSees() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                for (String mode : new String[] {"yes", "clients", "no"}) {
                    c.call("CONFIG", "SET", "sanitize-dump-payload", mode);
                    c.call("DEL", "k");
                    assertEquals("+OK\r\n", restore(c, hashListpack(false, false, "a", "1", "b", "2")), port + " valid");
                    for (Map.Entry<String, byte[]> corrupt : DEEP_ONLY.entrySet()) {
                        c.call("DEL", "k");
                        String expected = mode.equals("no") ? "+OK\r\n" : BAD;
                        assertEquals(expected, restore(c, corrupt.getValue()), port + " " + mode + ": " + corrupt.getKey());
                    }
                }
                c.call("CONFIG", "SET", "sanitize-dump-payload", "no");
            }
        }
    }

    @Test
    void infoCountsEachBlobCheckedInDepth() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "RESETSTAT");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "yes");
                c.call("DEL", "k");
                restore(c, hashListpack(false, false, "a", "1"));
                c.call("DEL", "k");
                restore(c, DEEP_ONLY.get("intset not sorted")); // refused, and counted all the same
                c.call("CONFIG", "SET", "sanitize-dump-payload", "no");
                c.call("DEL", "k");
                restore(c, hashListpack(false, false, "a", "1"));
                assertTrue(c.call("INFO", "stats").contains("dump_payload_sanitizations:2\r\n"), "port " + port);
            }
        }
    }

    @Test
    void skipSanitizePayloadUserIsNotSanitizedUnderClients() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("ACL", "SETUSER", "loader", "on", "nopass", "skip-sanitize-payload", "+@all", "~*");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "clients");
                c.call("AUTH", "loader", "x");
                c.call("DEL", "k");
                assertEquals("+OK\r\n", restore(c, DEEP_ONLY.get("intset not sorted")), port + ": skip-sanitize-payload");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "yes");
                c.call("DEL", "k");
                assertEquals(BAD, restore(c, DEEP_ONLY.get("intset not sorted")), port + ": yes applies to every user");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "no");
                c.call("AUTH", "default", "x");
                c.call("ACL", "DELUSER", "loader");
            }
        }
    }

    @Test
    void eachStreamNodeIsOneDeepCheckAndAWrongCountIsRefused() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "SET", "rdbcompression", "no");
                c.call("DEL", "s", "k");
                c.call("EVAL", "for i=1,250 do redis.call('xadd', KEYS[1], i..'-1', 'f', i, 'g', 'v'..i) end", "1", "s");
                c.call("XDEL", "s", "7-1", "120-1");
                byte[] payload = dump(c, "s");
                c.call("CONFIG", "RESETSTAT");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "yes");
                assertEquals("+OK\r\n", restore(c, payload), "port " + port);
                assertTrue(c.call("INFO", "stats").contains("dump_payload_sanitizations:3\r\n"), "port " + port + ": 3 nodes");
                assertEquals(c.call("XRANGE", "s", "-", "+"), c.call("XRANGE", "k", "-", "+"), "port " + port);
                assertEquals(c.call("XREVRANGE", "s", "+", "-", "COUNT", "5"), c.call("XREVRANGE", "k", "+", "-", "COUNT", "5"));
                c.call("DEL", "s", "k");
                c.call("XADD", "s", "1-1", "f", "v");
                c.call("XADD", "s", "2-1", "f", "w");
                byte[] small = dump(c, "s");
                int lp = 19 + 1; // type, one node, the 16-byte node key as a string, then a listpack under 64 bytes
                assertEquals(2, small[lp + 6], "port " + port + ": the master entry counts two entries");
                small[lp + 6] = 3;
                assertEquals(BAD, restore(c, withCrc(small)), "port " + port + ": a node counting an entry it lacks");
                c.call("CONFIG", "SET", "sanitize-dump-payload", "no");
                c.call("CONFIG", "SET", "rdbcompression", "yes");
                c.call("DEL", "s", "k");
            }
        }
    }

    private static byte[] dump(RespConnection c, String key) throws Exception {
        String reply = c.call("DUMP", key);
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The payload with its last 8 bytes replaced by the CRC-64 of the others. */
    private static byte[] withCrc(byte[] payload) {
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        for (int i = 0; i < 8; i++) {
            payload[payload.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    /** RESTORE k 0 payload, the payload's bytes sent as they are. */
    private static String restore(RespConnection c, byte[] payload) throws Exception {
        StringBuilder raw = new StringBuilder("*4\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$1\r\n0\r\n$" + payload.length + "\r\n");
        for (byte b : payload) {
            raw.append((char) (b & 0xff));
        }
        c.sendRaw(raw.append("\r\n").toString());
        return c.readReply();
    }

    /** A hash in a listpack (type 16), optionally with a wrong back length on its last entry or a wrong count. */
    private static byte[] hashListpack(boolean badBacklen, boolean badCount, String... elements) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        for (int i = 0; i < elements.length; i++) {
            byte[] text = elements[i].getBytes(StandardCharsets.US_ASCII);
            entries.write(0x80 | text.length); // a string of up to 63 bytes
            entries.writeBytes(text);
            entries.write(1 + text.length + (badBacklen && i == elements.length - 1 ? 1 : 0));
        }
        int total = 4 + 2 + entries.size() + 1;
        ByteBuffer lp = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        lp.putInt(total).putShort((short) (elements.length + (badCount ? 2 : 0))).put(entries.toByteArray()).put((byte) 0xff);
        return withFooter(16, lp.array());
    }

    /** A set as an intset of 16-bit members (type 11), in the order given. */
    private static byte[] intset(int... members) {
        ByteBuffer blob = ByteBuffer.allocate(8 + 2 * members.length).order(ByteOrder.LITTLE_ENDIAN);
        blob.putInt(2).putInt(members.length);
        for (int member : members) {
            blob.putShort((short) member);
        }
        return withFooter(11, blob.array());
    }

    /** Type byte, the blob as an RDB string (shorter than 64 bytes), RDB version 10, CRC-64. */
    private static byte[] withFooter(int type, byte[] blob) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(blob.length);
        out.writeBytes(blob);
        out.write(10);
        out.write(0);
        byte[] body = out.toByteArray();
        long crc = Crc64.update(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
