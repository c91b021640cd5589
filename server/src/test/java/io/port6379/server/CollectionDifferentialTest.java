// Random command sequences on lists, hashes, sets and sorted sets, sent to our server and to redis-server: same replies.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The law: for any sequence of deterministic collection commands, our server's replies equal redis-server's,
 * byte for byte once rendered (replies whose order is a hash table's are sorted first). The commands draw
 * keys, members, scores and indexes from small pools, so that they collide, wrap around, hit missing keys,
 * wrong types and empty results. Lex ranges go to a key whose members all have score 0, since Redis leaves
 * them unspecified otherwise. Fails in CI without redis-server.
 */
class CollectionDifferentialTest {

    private static final int COMMANDS = 3000;

    private final Random random = new Random(6379);

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String key() {
        return pick("l1", "l2", "h1", "s1", "s2", "z1", "z2", "str", "none");
    }

    private String member() {
        return pick("a", "b", "c", "d", "e", "1", "2", "10", "\"\"", "\"x y\"");
    }

    private String index() {
        return String.valueOf(random.nextInt(11) - 5);
    }

    private String score() {
        return pick("0", "1", "1.5", "-2", "3", "10", "-inf", "+inf", "(1", "(3", "0.1");
    }

    private String lex() {
        return pick("-", "+", "[a", "(b", "[c", "(1", "[10", "[e");
    }

    /** One command; the boolean says whether its reply's order is a hash table's (then it is sorted). */
    private record Generated(String command, boolean sorted) {
    }

    private Generated next() {
        List<Supplier<String>> ordered = List.of(
                () -> pick("LPUSH ", "RPUSH ", "LPUSHX ", "RPUSHX ") + key() + " " + member() + " " + member(),
                () -> pick("LPOP ", "RPOP ") + key() + pick("", " 0", " 1", " 3"),
                () -> "LRANGE " + key() + " " + index() + " " + index(),
                () -> "LINDEX " + key() + " " + index(),
                () -> "LSET " + key() + " " + index() + " " + member(),
                () -> "LINSERT " + key() + pick(" BEFORE ", " AFTER ") + member() + " " + member(),
                () -> "LREM " + key() + " " + index() + " " + member(),
                () -> "LTRIM " + key() + " " + index() + " " + index(),
                () -> "LPOS " + key() + " " + member() + pick("", " RANK -1", " COUNT 0", " RANK 2 COUNT 2 MAXLEN 4"),
                () -> "LMOVE " + key() + " " + key() + pick(" LEFT", " RIGHT") + pick(" LEFT", " RIGHT"),
                () -> "LMPOP 2 " + key() + " " + key() + pick(" LEFT", " RIGHT") + pick("", " COUNT 2"),
                () -> "LLEN " + key(),
                () -> "HSET " + key() + " " + member() + " " + member(),
                () -> "HDEL " + key() + " " + member() + " " + member(),
                () -> "HGET " + key() + " " + member(),
                () -> "HINCRBY " + key() + " " + member() + " " + index(),
                () -> "HINCRBYFLOAT " + key() + " " + member() + " " + score(),
                () -> "HSTRLEN " + key() + " " + member(),
                () -> "HLEN " + key(),
                () -> "SADD " + key() + " " + member() + " " + member(),
                () -> "SREM " + key() + " " + member(),
                () -> "SISMEMBER " + key() + " " + member(),
                () -> "SMISMEMBER " + key() + " " + member() + " " + member(),
                () -> "SCARD " + key(),
                () -> "SMOVE " + key() + " " + key() + " " + member(),
                () -> pick("SINTERSTORE ", "SUNIONSTORE ", "SDIFFSTORE ") + key() + " " + key() + " " + key(),
                () -> "SINTERCARD 2 " + key() + " " + key() + pick("", " LIMIT 1"),
                () -> "ZADD " + key() + pick("", " NX", " XX", " GT CH", " LT", " INCR") + " " + score().replace("(", "") + " " + member(),
                () -> "ZINCRBY " + key() + " " + score().replace("(", "") + " " + member(),
                () -> "ZREM " + key() + " " + member() + " " + member(),
                () -> "ZSCORE " + key() + " " + member(),
                () -> "ZMSCORE " + key() + " " + member() + " " + member(),
                () -> pick("ZRANK ", "ZREVRANK ") + key() + " " + member(),
                () -> "ZCOUNT " + key() + " " + score() + " " + score(),
                () -> "ZADD lex 0 " + member(),
                () -> "ZREM lex " + member(),
                () -> "ZLEXCOUNT lex " + lex() + " " + lex(),
                () -> "ZRANGE " + key() + " " + index() + " " + index() + pick("", " REV", " WITHSCORES", " REV WITHSCORES"),
                () -> "ZRANGE " + key() + " " + score() + " " + score() + " BYSCORE" + pick("", " REV") + pick("", " LIMIT 1 2", " WITHSCORES"),
                () -> "ZRANGE lex " + lex() + " " + lex() + " BYLEX" + pick("", " REV") + pick("", " LIMIT 0 2", " LIMIT 1 -1"),
                () -> pick("ZRANGEBYSCORE ", "ZREVRANGEBYSCORE ") + key() + " " + score() + " " + score() + pick("", " WITHSCORES", " LIMIT 1 1"),
                () -> pick("ZRANGEBYLEX lex ", "ZREVRANGEBYLEX lex ") + lex() + " " + lex(),
                () -> "ZRANGESTORE " + key() + " " + key() + " " + index() + " " + index(),
                () -> pick("ZREMRANGEBYRANK ", "ZREMRANGEBYSCORE ") + key() + " " + index() + " " + index(),
                () -> "ZREMRANGEBYLEX lex " + lex() + " " + lex(),
                () -> pick("ZPOPMIN ", "ZPOPMAX ") + key() + pick("", " 0", " 2"),
                () -> "ZMPOP 2 " + key() + " " + key() + pick(" MIN", " MAX") + pick("", " COUNT 2"),
                () -> pick("ZUNION ", "ZINTER ", "ZDIFF ") + "2 " + key() + " " + key() + pick("", " WITHSCORES"),
                () -> pick("ZUNIONSTORE ", "ZINTERSTORE ") + key() + " 2 " + key() + " " + key()
                        + pick("", " WEIGHTS 2 -1", " AGGREGATE MIN", " AGGREGATE MAX"),
                () -> "ZDIFFSTORE " + key() + " 2 " + key() + " " + key(),
                () -> "ZINTERCARD 2 " + key() + " " + key(),
                () -> "ZCARD " + key(),
                () -> "TYPE " + key(),
                () -> "EXISTS " + key());
        List<Supplier<String>> unordered = List.of(
                () -> pick("SMEMBERS ", "HKEYS ", "HVALS ") + key(),
                () -> pick("SINTER ", "SUNION ", "SDIFF ") + key() + " " + key(),
                () -> "HGETALL " + key());
        if (random.nextInt(10) == 0) {
            return new Generated(unordered.get(random.nextInt(unordered.size())).get(), true);
        }
        return new Generated(ordered.get(random.nextInt(ordered.size())).get(), false);
    }

    @Test
    void randomCommandSequencesGetRedissReplies() throws Exception {
        List<Generated> script = new ArrayList<>();
        script.add(new Generated("SET str text", false));
        for (int i = 0; i < COMMANDS; i++) {
            script.add(next());
        }
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<String> expected = run(redis.port(), script);
            List<String> actual = run(ours.port(), script);
            for (int i = 0; i < script.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "command " + i + ": " + script.get(i).command());
            }
        }
    }

    /** Sends the whole script pipelined (one write), then reads every reply. */
    private static List<String> run(int port, List<Generated> script) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder all = new StringBuilder("FLUSHALL\r\n");
            script.forEach(g -> all.append(g.command()).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(all.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException ignored) {
                    // the reads below fail too and report it
                }
            });
            ReplyCases.read(in, false);
            List<String> replies = new ArrayList<>();
            for (Generated g : script) {
                try {
                    replies.add(ReplyCases.read(in, g.sorted()));
                } catch (IOException e) {
                    throw new IOException("no reply to command " + replies.size() + ": " + g.command(), e);
                }
            }
            writer.join();
            return replies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
