// Random sequences of stream commands answer byte for byte as redis-server 7.0.15 answers them.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The law: for any sequence of stream commands drawn at random (XADD with NOMKSTREAM, MAXLEN/MINID, {@code =}/{@code ~}
 * and LIMIT; XDEL; XTRIM; XRANGE/XREVRANGE with exclusive bounds and COUNT; XREAD; XLEN; XSETID; XGROUP CREATE
 * [MKSTREAM] [ENTRIESREAD] / SETID / CREATECONSUMER / DELCONSUMER / DESTROY; XREADGROUP with {@code >}, history and
 * NOACK; XACK; XPENDING summary and extended; XCLAIM with RETRYCOUNT, FORCE, JUSTID, LASTID; XAUTOCLAIM; XINFO
 * STREAM [FULL], GROUPS, CONSUMERS), on two keys, with small random node limits so that nodes split and trims
 * stop at node boundaries, in RESP2 or RESP3, redis-server and ours give the same replies, errors included.
 *
 * <p>IDs are explicit ({@code ms-seq} or {@code ms-*}) so that the clocks of the two servers do not decide them;
 * min-idle times are 0. What only the clock decides is masked: idle times, delivery and seen times.
 */
class StreamCommandsProperties extends DualTargetProperties {

    private static final String[] KEYS = {"s1", "s2", "s1", "nokey"};
    private static final String[] GROUPS = {"g1", "g2", "g1"};
    private static final String[] CONSUMERS = {"alice", "bob", "carol"};
    private static final String[] FIELDS = {"f", "g", "h", "1", "name"};

    @Property(tries = 12)
    void randomStreamCommandsAnswerAsRedis(@ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            boolean resp3 = random.nextBoolean();
            for (RespConnection connection : new RespConnection[] {real, our}) {
                connection.call("FLUSHALL");
                if (resp3) {
                    connection.call("HELLO", "3");
                }
            }
            same(real, our, "CONFIG", "SET", "stream-node-max-entries", "" + (1 + random.nextInt(8)));
            same(real, our, "CONFIG", "SET", "stream-node-max-bytes", "" + (random.nextBoolean() ? 0 : 40 + random.nextInt(300)));
            Ids ids = new Ids();
            int errors = 0;
            for (int i = 0; i < 250; i++) {
                errors += same(real, our, command(random, ids).toArray(String[]::new)).startsWith("-") ? 1 : 0;
            }
            // a guard against a draw of errors only: some seeds draw a little over a hundred errors, and fewer than
            // 150 still leaves a hundred valid commands per try
            assertTrue(errors < 150, errors + " errors in 250 commands: the draw should mostly make valid ones");
            same(real, our, "XINFO", "STREAM", "s1", "FULL");
            same(real, our, "XINFO", "STREAM", "s2", "FULL");
        } finally {
            try (RespConnection real = new RespConnection(servers.redis().port());
                 RespConnection our = new RespConnection(servers.ours().port())) {
                real.call("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
                our.call("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
            }
        }
    }

    /** The IDs given so far: each XADD mostly goes past the last one, sometimes not (an error on both). */
    private static final class Ids {
        long ms = 1; // IDs start small, so that the edges 0-1 and 1-0 are drawn
        long seq;

        String next(SplittableRandom random) {
            int step = random.nextInt(10);
            if (step == 0) {
                return (ms - random.nextInt(2)) + "-" + seq; // not greater: an error
            }
            if (step < 3) {
                ms += random.nextInt(2);
                seq = 0;
                return ms + "-*";
            }
            ms += random.nextInt(3);
            seq = random.nextInt(4);
            return ms + "-" + seq;
        }

        /** An ID around the ones given, for ranges, deletes and group positions. */
        String some(SplittableRandom random) {
            return switch (random.nextInt(12)) {
                case 0 -> "-";
                case 1 -> "+";
                case 2 -> "(" + random.nextLong(0, ms + 2) + "-" + random.nextInt(4);
                case 3 -> "" + random.nextLong(0, ms + 2);
                default -> random.nextLong(0, ms + 2) + "-" + random.nextInt(4);
            };
        }

        /** A plain ID (no "-", "+" or "("). */
        String plain(SplittableRandom random) {
            return random.nextLong(0, ms + 2) + "-" + random.nextInt(4);
        }
    }

    private static List<String> command(SplittableRandom random, Ids ids) {
        String key = pick(random, KEYS);
        String group = pick(random, GROUPS);
        String consumer = pick(random, CONSUMERS);
        List<String> c = new ArrayList<>();
        switch (random.nextInt(24)) {
            case 0, 1, 2, 3, 4, 5 -> {
                c.addAll(List.of("XADD", key));
                if (random.nextInt(8) == 0) {
                    c.add("NOMKSTREAM");
                }
                if (random.nextInt(4) == 0) {
                    trim(random, ids, c);
                }
                c.add(ids.next(random));
                boolean same = random.nextBoolean();
                int pairs = same ? 2 : 1 + random.nextInt(3);
                for (int p = 0; p < pairs; p++) {
                    c.add(same ? FIELDS[p] : pick(random, FIELDS));
                    c.add(value(random));
                }
            }
            case 6 -> {
                c.addAll(List.of("XDEL", key));
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    c.add(ids.plain(random));
                }
            }
            case 7 -> {
                c.addAll(List.of("XTRIM", key));
                trim(random, ids, c);
            }
            case 8, 9 -> {
                boolean rev = random.nextBoolean();
                String a = ids.some(random);
                String b = ids.some(random);
                c.addAll(rev ? List.of("XREVRANGE", key, b, a) : List.of("XRANGE", key, a, b));
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", "" + random.nextInt(5)));
                }
            }
            case 10 -> {
                c.add("XREAD");
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", "" + (1 + random.nextInt(4))));
                }
                c.addAll(List.of("STREAMS", "s1", "s2", ids.plain(random), random.nextInt(4) == 0 ? "$" : ids.plain(random)));
            }
            case 11 -> c.addAll(List.of("XLEN", key));
            case 12 -> {
                c.addAll(List.of("XGROUP", "CREATE", key, group, random.nextInt(3) == 0 ? "$" : ids.plain(random)));
                if (random.nextInt(3) == 0) {
                    c.add("MKSTREAM");
                }
                if (random.nextInt(3) == 0) {
                    c.addAll(List.of("ENTRIESREAD", "" + random.nextInt(10)));
                }
            }
            case 13 -> {
                c.addAll(List.of("XGROUP", "SETID", key, group, random.nextInt(3) == 0 ? "$" : ids.plain(random)));
                if (random.nextInt(3) == 0) {
                    c.addAll(List.of("ENTRIESREAD", "" + random.nextInt(10)));
                }
            }
            case 14 -> c.addAll(random.nextBoolean() ? List.of("XGROUP", "CREATECONSUMER", key, group, consumer)
                    : random.nextInt(4) == 0 ? List.of("XGROUP", "DESTROY", key, group)
                    : List.of("XGROUP", "DELCONSUMER", key, group, consumer));
            case 15, 16, 17 -> {
                c.addAll(List.of("XREADGROUP", "GROUP", group, consumer));
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", "" + (1 + random.nextInt(4))));
                }
                if (random.nextInt(5) == 0) {
                    c.add("NOACK");
                }
                c.addAll(List.of("STREAMS", key, random.nextInt(4) == 0 ? ids.plain(random) : ">"));
            }
            case 18 -> {
                c.addAll(List.of("XACK", key, group));
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    c.add(ids.plain(random));
                }
            }
            case 19 -> {
                c.addAll(List.of("XPENDING", key, group));
                if (random.nextBoolean()) {
                    if (random.nextBoolean()) {
                        c.addAll(List.of("IDLE", "0"));
                    }
                    c.addAll(List.of(ids.some(random), ids.some(random), "" + random.nextInt(6)));
                    if (random.nextBoolean()) {
                        c.add(consumer);
                    }
                }
            }
            case 20 -> {
                c.addAll(List.of("XCLAIM", key, group, consumer, "0"));
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    c.add(ids.plain(random));
                }
                if (random.nextInt(3) == 0) {
                    c.addAll(List.of("RETRYCOUNT", "" + random.nextInt(5)));
                }
                if (random.nextInt(3) == 0) {
                    c.add("FORCE");
                }
                if (random.nextInt(3) == 0) {
                    c.add("JUSTID");
                }
                if (random.nextInt(4) == 0) {
                    c.addAll(List.of("LASTID", ids.plain(random)));
                }
            }
            case 21 -> {
                c.addAll(List.of("XAUTOCLAIM", key, group, consumer, "0", ids.plain(random)));
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", "" + (1 + random.nextInt(4))));
                }
                if (random.nextInt(3) == 0) {
                    c.add("JUSTID");
                }
            }
            case 22 -> c.addAll(switch (random.nextInt(4)) {
                case 0 -> List.of("XINFO", "STREAM", key);
                case 1 -> List.of("XINFO", "STREAM", key, "FULL", "COUNT", "" + random.nextInt(4));
                case 2 -> List.of("XINFO", "GROUPS", key);
                default -> List.of("XINFO", "CONSUMERS", key, group);
            });
            default -> c.addAll(List.of("XSETID", key, ids.plain(random)));
        }
        return c;
    }

    /** MAXLEN or MINID, exact or approximate, sometimes with LIMIT. */
    private static void trim(SplittableRandom random, Ids ids, List<String> c) {
        boolean maxlen = random.nextBoolean();
        c.add(maxlen ? "MAXLEN" : "MINID");
        boolean approx = random.nextBoolean();
        if (approx || random.nextBoolean()) {
            c.add(approx ? "~" : "=");
        }
        c.add(maxlen ? "" + random.nextInt(30) : ids.plain(random));
        if (approx && random.nextBoolean()) {
            c.addAll(List.of("LIMIT", "" + random.nextInt(10)));
        }
    }

    private static String value(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> "" + random.nextInt(-5000, 5000);
            case 1 -> "" + random.nextLong();
            case 2 -> "v".repeat(random.nextInt(0, 80));
            default -> "value:" + random.nextInt(100);
        };
    }

    private static String pick(SplittableRandom random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String same(RespConnection real, RespConnection our, String... args) throws IOException {
        String reply = masked(real.call(args));
        assertEquals(reply, masked(our.call(args)), String.join(" ", args));
        return reply;
    }

    /** Idle times, delivery times and seen times, which the servers' clocks decide. */
    private static String masked(String reply) {
        return reply
                // a PEL entry [id, consumer, idle or delivery time, count] (XPENDING, XINFO STREAM FULL's groups)
                .replaceAll("(\\*4\r\n\\$\\d+\r\n\\d+-\\d+\r\n\\$\\d+\r\n[a-z]+\r\n):\\d+", "$1:<time>")
                // a consumer's PEL entry [id, delivery time, count] (XINFO STREAM FULL)
                .replaceAll("(\\*3\r\n\\$\\d+\r\n\\d+-\\d+\r\n):\\d+", "$1:<time>")
                .replaceAll("(\\$(4\r\nidle|9\r\nseen-time)\r\n):\\d+", "$1:<time>");
    }
}
