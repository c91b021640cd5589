// list-compress-depth: DUMP writes a list's inner quicklist nodes LZF-compressed, the same nodes on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For each depth, the DUMP of the same 3000-element list is read node by node: which nodes are LZF blobs and how
 * long each is uncompressed must agree (the compressed bytes themselves depend on liblzf's uninitialised hash table,
 * see compat/dump-restore.redis); each server's payload must RESTORE on the other to the same elements. A list keeps
 * the depth and the fill (list-max-listpack-size) it was made with, as Redis's quicklist does.
 */
class ListCompressDepthTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void innerNodesAreCompressedBeyondTheDepthAtBothEnds() throws Exception {
        try (RespConnection redis = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            for (String depth : new String[] {"0", "1", "2", "3"}) {
                List<byte[]> payloads = new ArrayList<>();
                for (RespConnection c : List.of(redis, ours)) {
                    c.call("CONFIG", "SET", "rdbcompression", "no");
                    c.call("CONFIG", "SET", "list-compress-depth", depth);
                    c.call("DEL", "l", "copy");
                    c.call("EVAL", "for i=1,3000 do redis.call('rpush','l','element:'..i) end", "0");
                    payloads.add(bulkBytes(c.call("DUMP", "l")));
                }
                assertEquals(nodes(payloads.get(0)), nodes(payloads.get(1)), "depth " + depth);
                for (int i = 0; i < 2; i++) { // each payload restored by the other server
                    RespConnection other = i == 0 ? ours : redis;
                    assertEquals("+OK\r\n", restore(other, payloads.get(i)));
                    assertEquals(other.call("LRANGE", "l", "0", "-1"), other.call("LRANGE", "copy", "0", "-1"));
                }
            }
            for (RespConnection c : List.of(redis, ours)) {
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("CONFIG", "SET", "rdbcompression", "yes");
            }
        }
    }

    @Test
    void aListKeepsTheSettingsItWasMadeWith() throws Exception {
        try (RespConnection redis = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            List<List<String>> seen = new ArrayList<>();
            for (RespConnection c : List.of(redis, ours)) {
                List<String> shapes = new ArrayList<>();
                c.call("FLUSHALL");
                c.call("CONFIG", "SET", "rdbcompression", "no");
                c.call("CONFIG", "SET", "list-compress-depth", "1");
                c.call("EVAL", "for i=1,3000 do redis.call('rpush','l','element:'..i) end", "0");
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("CONFIG", "SET", "list-max-listpack-size", "5");
                c.call("RPUSH", "l", "more");
                c.call("RPUSH", "f", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
                c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
                c.call("CONFIG", "SET", "list-compress-depth", "2");
                c.call("COPY", "f", "f-copy");
                c.call("LMOVE", "f", "moved", "RIGHT", "LEFT"); // from the tail: the nodes stay as both servers cut them
                c.call("SORT", "f", "LIMIT", "0", "3", "STORE", "sorted");
                byte[] payload = bulkBytes(c.call("DUMP", "l"));
                shapes.add(nodes(payload).toString()); // made with depth 1, dumped under 0: still compressed
                assertEquals("+OK\r\n", restore(c, payload)); // RESTORE makes a list with the settings of now
                shapes.add(nodes(bulkBytes(c.call("DUMP", "copy"))).toString());
                for (String key : new String[] {"l", "f", "f-copy", "moved", "sorted", "copy"}) {
                    shapes.add(key + " " + quicklist(c.call("DEBUG", "OBJECT", key)));
                }
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("CONFIG", "SET", "rdbcompression", "yes");
                c.call("FLUSHALL");
                seen.add(shapes);
            }
            assertEquals(seen.get(0), seen.get(1));
        }
    }

    @Test
    void aListMadeUncompressedDumpsTheSameBytesAfterTheDepthIsRaised() throws Exception {
        try (RespConnection redis = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            List<String> dumps = new ArrayList<>();
            for (RespConnection c : List.of(redis, ours)) {
                c.call("CONFIG", "SET", "rdbcompression", "no");
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("DEL", "l");
                c.call("EVAL", "for i=1,3000 do redis.call('rpush','l','element:'..i) end", "0");
                String before = c.call("DUMP", "l");
                c.call("CONFIG", "SET", "list-compress-depth", "1"); // a list keeps the depth it was made with
                assertEquals(before, c.call("DUMP", "l"));
                c.call("RPUSH", "l", "more"); // and so do the nodes it grows afterwards
                dumps.add(c.call("DUMP", "l"));
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("CONFIG", "SET", "rdbcompression", "yes");
                c.call("DEL", "l");
            }
            assertEquals(dumps.get(0), dumps.get(1), "the DUMP bytes of both servers");
        }
    }

    /** DEBUG OBJECT's quicklist fields that the settings decide: nodes, fill, whether compressed. */
    private static String quicklist(String debugObject) {
        StringBuilder fields = new StringBuilder();
        for (String field : debugObject.trim().split(" ")) {
            if (field.startsWith("ql_nodes:") || field.startsWith("ql_listpack_max:") || field.startsWith("ql_compressed:")) {
                fields.append(field).append(' ');
            }
        }
        return fields.toString().trim();
    }

    /** Each quicklist node of a QUICKLIST_2 payload: "lzf:<uncompressed length>" or "raw:<length>". */
    private static List<String> nodes(byte[] payload) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(payload);
        assertEquals(18, in.read()); // RDB_TYPE_LIST_QUICKLIST_2
        long count = length(in);
        List<String> nodes = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            assertEquals(2, length(in)); // QUICKLIST_NODE_CONTAINER_PACKED
            in.mark(1);
            int first = in.read();
            if (first == 0xC3) { // RDB_ENCVAL << 6 | RDB_ENC_LZF
                long compressed = length(in);
                nodes.add("lzf:" + length(in));
                in.skipNBytes(compressed);
            } else {
                in.reset();
                long raw = length(in);
                nodes.add("raw:" + raw);
                in.skipNBytes(raw);
            }
        }
        return nodes;
    }

    /** An RDB length: 6 bits, 14 bits, or a 32-bit big-endian number after 0x80. */
    private static long length(ByteArrayInputStream in) {
        int first = in.read();
        return switch (first >> 6) {
            case 0 -> first & 0x3f;
            case 1 -> (first & 0x3f) << 8 | in.read();
            default -> {
                assertEquals(0x80, first);
                yield (long) in.read() << 24 | in.read() << 16 | in.read() << 8 | in.read();
            }
        };
    }

    private static byte[] bulkBytes(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return reply.substring(start, reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String restore(RespConnection c, byte[] payload) throws IOException {
        c.sendRaw("*4\r\n$7\r\nRESTORE\r\n$4\r\ncopy\r\n$1\r\n0\r\n$" + payload.length + "\r\n"
                + new String(payload, StandardCharsets.ISO_8859_1) + "\r\n");
        return c.readReply();
    }
}
