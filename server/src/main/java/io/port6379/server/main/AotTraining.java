// The workload the build runs once to record the JVM's AOT cache: a server started, a round of common commands, a stop.
package io.port6379.server.main;

import io.port6379.server.network.RedisServer;
import io.port6379.server.util.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Start-up of a JVM server is mostly class loading and linking: reading the classes from the jar, verifying them,
 * and spinning a class for each of the few hundred method references the command table binds. A JDK 24+ can
 * record all of that in an AOT cache ({@code -XX:AOTCacheOutput}) during a training run and map it at the next
 * start ({@code -XX:AOTCache}, in {@code jvm.options}). The server module's build runs this class as that
 * training run, right after it packs the jar: it starts a server on a free port with no persistence, sends one
 * pipeline of commonly used commands of every family over a socket (so their classes, and the connection's, are
 * in the cache), reads the replies and stops.
 *
 * <p>The cache belongs to the jar it was trained with: a rebuilt jar or another JDK makes the JVM ignore it and
 * start as without it. Nothing here is needed for the server to run.
 */
public final class AotTraining {

    private static final List<List<String>> COMMANDS = List.of(
            List.of("HELLO", "3"), List.of("HELLO", "2"), List.of("PING"), List.of("CLIENT", "SETNAME", "training"),
            List.of("SET", "s", "1"), List.of("GET", "s"), List.of("INCR", "s"), List.of("MSET", "a", "1", "b", "2"),
            List.of("MGET", "a", "b"), List.of("SET", "e", "v", "EX", "100"), List.of("TTL", "e"),
            List.of("LPUSH", "l", "a", "b", "c"), List.of("RPUSH", "l", "d"), List.of("LRANGE", "l", "0", "-1"),
            List.of("LPOP", "l"), List.of("RPOP", "l"), List.of("HSET", "h", "f", "v", "g", "w"),
            List.of("HGETALL", "h"), List.of("HINCRBY", "h", "n", "1"), List.of("SADD", "set", "x", "y"),
            List.of("SMEMBERS", "set"), List.of("SPOP", "set"), List.of("ZADD", "z", "1", "x", "2", "y"),
            List.of("ZRANGE", "z", "0", "-1", "WITHSCORES"), List.of("ZPOPMIN", "z"), List.of("SETBIT", "bits", "7", "1"),
            List.of("BITCOUNT", "bits"), List.of("PFADD", "hll", "a", "b"), List.of("PFCOUNT", "hll"),
            List.of("GEOADD", "geo", "13.36", "38.11", "p"), List.of("GEOSEARCH", "geo", "FROMLONLAT", "13", "38",
                    "BYRADIUS", "100", "km"), List.of("MULTI"), List.of("INCR", "s"), List.of("EXEC"),
            List.of("KEYS", "*"), List.of("SCAN", "0"), List.of("TYPE", "l"), List.of("EXISTS", "s", "l"),
            List.of("EXPIRE", "s", "100"), List.of("DEL", "a", "b"), List.of("DUMP", "h"), List.of("DBSIZE"),
            List.of("INFO"), List.of("CONFIG", "GET", "maxmemory"), List.of("COMMAND", "COUNT"),
            List.of("CLIENT", "LIST"), List.of("PUBLISH", "c", "m"), List.of("FLUSHALL"), List.of("QUIT"));

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("port6379-training");
        // Main's own start, logging to a standard output that goes nowhere: the log lines' classes are in the cache
        // and the build's output stays clean.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Log.toStandardOutput();
        RedisServer server = Main.start(new String[] {
            "--port", "0", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()});
        try {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(pipeline());
                out.flush();
                InputStream in = socket.getInputStream();
                while (in.read(new byte[8192]) >= 0) { // QUIT's +OK, then the server closes the connection
                }
            }
        } finally {
            server.terminate();
            Files.deleteIfExists(dir);
        }
    }

    /** Every command as a RESP array of bulk strings, in one buffer. */
    private static byte[] pipeline() {
        StringBuilder resp = new StringBuilder();
        for (List<String> command : COMMANDS) {
            resp.append('*').append(command.size()).append("\r\n");
            for (String word : command) {
                resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
            }
        }
        return resp.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
