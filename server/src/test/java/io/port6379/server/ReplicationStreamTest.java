// What a replica that sent SYNC reads after the RDB, on both servers: flushes, PUBLISH, approximate stream trims.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis's own test suite reads the replication stream (its {@code attach_to_replication_stream} sends SYNC, skips the
 * RDB and reads commands) to check what a command propagates. Most commands are propagated only when they changed
 * the data, but FLUSHALL and FLUSHDB always are, and PUBLISH goes to the replicas outside cluster mode: the stream
 * must hold them, in the same words and order, on ours as on Redis.
 */
class ReplicationStreamTest {

    /** Small stream nodes, so that an approximate trim of a few entries removes whole nodes. */
    @RegisterExtension
    static final BothServers servers = new BothServers("--repl-diskless-sync-delay", "0", "--stream-node-max-entries", "2");

    private static final List<List<String>> EXPECTED = List.of(List.of("SELECT", "9"), List.of("FLUSHALL"),
            List.of("FLUSHDB"), List.of("PUBLISH", "news", "hello"), List.of("SET", "k", "v"), List.of("FLUSHDB"),
            List.of("SET", "end", "1"));

    @Test
    void flushesOfEmptyDatabasesAndPublishesAreReplicated() throws Exception {
        String[][] commands = {{"SELECT", "9"}, {"FLUSHALL"}, {"FLUSHDB"}, {"PUBLISH", "news", "hello"}, {"SET", "k", "v"},
            {"FLUSHDB"}};
        assertEquals(EXPECTED, streamOf(servers.redis().port(), commands), "redis-server");
        assertEquals(EXPECTED, streamOf(servers.ours().port(), commands), "ours");
    }

    /**
     * How far {@code ~} trims depends on the node size, which a replica or the next load may not share: XADD and
     * XTRIM with {@code MAXLEN ~} or {@code MINID ~} are propagated as the exact trim to what they left.
     */
    @Test
    void approximateStreamTrimsArePropagatedAsExactOnes() throws Exception {
        String[][] commands = {{"FLUSHALL"}, {"XADD", "s", "1-1", "f", "v"}, {"XADD", "s", "2-1", "f", "v"},
            {"XADD", "s", "3-1", "f", "v"}, {"XADD", "s", "4-1", "f", "v"}, {"XADD", "s", "5-1", "f", "v"},
            {"XADD", "s", "MAXLEN", "~", "2", "6-1", "f", "v"}, {"XADD", "s", "7-1", "f", "v"},
            {"XADD", "s", "8-1", "f", "v"}, {"XTRIM", "s", "MINID", "~", "8-0"},
            {"XADD", "s", "MINID", "~", "1-0", "LIMIT", "10", "9-1", "f", "v"}};
        List<List<String>> expected = streamOf(servers.redis().port(), commands);
        assertEquals(List.of("XADD", "s", "MAXLEN", "="), expected.get(7).subList(0, 4), expected::toString);
        assertEquals(expected, streamOf(servers.ours().port(), commands));
    }

    /**
     * Attaches as a replica, runs the commands and a last {@code SET end 1} on another connection, and returns what
     * the stream carried.
     */
    private static List<List<String>> streamOf(int port, String[]... commands) throws IOException {
        try (Socket replica = new Socket("127.0.0.1", port); RespConnection client = new RespConnection(port)) {
            replica.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(replica.getInputStream());
            replica.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            skipRdb(in);
            for (String[] command : commands) {
                client.call(command);
            }
            client.call("SET", "end", "1");
            List<List<String>> stream = new ArrayList<>();
            while (stream.isEmpty() || !stream.getLast().equals(List.of("SET", "end", "1"))) {
                List<String> command = readCommand(in);
                if (!command.equals(List.of("PING"))) { // the master's periodic ping to its replicas
                    stream.add(command);
                }
            }
            return stream;
        }
    }

    /** The RDB of a disk-based SYNC: newlines while the master prepares it, then {@code $<length>\r\n} and the bytes. */
    private static void skipRdb(InputStream in) throws IOException {
        String line;
        do {
            line = readLine(in);
        } while (line.isEmpty());
        in.skipNBytes(Long.parseLong(line.substring(1)));
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        String header = readLine(in);
        int count = Integer.parseInt(header.substring(1));
        List<String> command = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(readLine(in).substring(1));
            command.add(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
            in.readNBytes(2);
        }
        return command;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the stream ended after: " + line);
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
