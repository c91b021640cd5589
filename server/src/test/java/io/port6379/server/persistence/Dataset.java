// Test helper: a whole dataset in a canonical, comparable form, read from values, from a server, or built at random.
package io.port6379.server.persistence;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ScoredMember;
import io.port6379.testing.RespConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Database number -> key -> {@link Key}: type, content in an order-free form (sets sorted, hashes as sorted maps,
 * sorted sets as "member score" in rank order) and expiry time. Text is ISO-8859-1, one char per byte, so binary
 * data compares exactly.
 */
final class Dataset {

    /** One key's type, content and expiry (Unix ms, -1 for none). */
    record Key(String type, Object content, long expireAt) {
    }

    final TreeMap<Integer, TreeMap<String, Key>> databases = new TreeMap<>();

    void put(int db, String key, Key value) {
        databases.computeIfAbsent(db, d -> new TreeMap<>()).put(key, value);
    }

    long keyCount() {
        return databases.values().stream().mapToLong(Map::size).sum();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The canonical form of a value of ours. */
    static Key of(RedisValue value, long expireAt) {
        return switch (value) {
            case RedisString s -> new Key("string", text(s.bytes()), expireAt);
            case RedisList list -> new Key("list", list.range(0, -1).stream().map(Dataset::text).toList(), expireAt);
            case RedisSet set -> {
                TreeSet<String> members = new TreeSet<>();
                set.forEach(m -> members.add(text(m.array())));
                yield new Key("set", members, expireAt);
            }
            case RedisHash hash -> {
                TreeMap<String, String> fields = new TreeMap<>();
                hash.forEach((f, v) -> fields.put(text(f), text(v)));
                yield new Key("hash", fields, expireAt);
            }
            case RedisSortedSet zset -> new Key("zset", zset.rangeByRank(0, -1, false).stream()
                    .map(m -> text(m.member().array()) + " " + m.score()).toList(), expireAt);
            default -> throw new IllegalArgumentException(value.type());
        };
    }

    /** The value of ours with that canonical content. */
    static RedisValue toValue(Key key) {
        return switch (key.type()) {
            case "string" -> new RedisString(bytes((String) key.content()));
            case "list" -> {
                RedisList list = new RedisList();
                ((List<?>) key.content()).forEach(e -> list.pushRight(bytes((String) e)));
                yield list;
            }
            case "set" -> RedisSet.of(((TreeSet<?>) key.content()).stream().map(m -> Bytes.of(bytes((String) m))).toList(), EncodingLimits.REDIS_DEFAULTS);
            case "hash" -> {
                RedisHash hash = new RedisHash();
                ((Map<?, ?>) key.content()).forEach((f, v) -> hash.put(bytes((String) f), bytes((String) v), EncodingLimits.REDIS_DEFAULTS));
                yield hash;
            }
            case "zset" -> {
                List<ScoredMember> members = new ArrayList<>();
                for (Object o : (List<?>) key.content()) {
                    String s = (String) o;
                    int space = s.lastIndexOf(' ');
                    members.add(new ScoredMember(Bytes.of(bytes(s.substring(0, space))), score(s.substring(space + 1))));
                }
                yield RedisSortedSet.of(members, EncodingLimits.REDIS_DEFAULTS);
            }
            default -> throw new IllegalArgumentException(key.type());
        };
    }

    /** Everything a server holds, read with commands (works the same against ours and a real Redis). */
    static Dataset read(RespConnection client, int databases) throws IOException {
        awaitLoaded(client);
        Dataset data = new Dataset();
        for (int db = 0; db < databases; db++) {
            client.callParsed("SELECT", Integer.toString(db));
            for (Object k : (List<?>) client.callParsed("KEYS", "*")) {
                String key = (String) k;
                String type = (String) client.callParsed("TYPE", key);
                long expireAt = (Long) client.callParsed("PEXPIRETIME", key);
                Object content = switch (type) {
                    case "string" -> client.callParsed("GET", key);
                    case "list" -> client.callParsed("LRANGE", key, "0", "-1");
                    case "set" -> new TreeSet<>((List<?>) client.callParsed("SMEMBERS", key));
                    case "hash" -> {
                        List<?> pairs = (List<?>) client.callParsed("HGETALL", key);
                        TreeMap<Object, Object> fields = new TreeMap<>();
                        for (int i = 0; i < pairs.size(); i += 2) {
                            fields.put(pairs.get(i), pairs.get(i + 1));
                        }
                        yield fields;
                    }
                    case "zset" -> {
                        List<?> pairs = (List<?>) client.callParsed("ZRANGE", key, "0", "-1", "WITHSCORES");
                        List<String> members = new ArrayList<>();
                        for (int i = 0; i < pairs.size(); i += 2) {
                            members.add(pairs.get(i) + " " + score((String) pairs.get(i + 1)));
                        }
                        yield members;
                    }
                    default -> throw new IllegalStateException("unexpected type " + type + " of " + key);
                };
                data.put(db, key, new Key(type, content, expireAt));
            }
        }
        client.callParsed("SELECT", "0");
        return data;
    }

    /**
     * Waits until the server has loaded its data: a real Redis accepts connections while it loads and answers
     * {@code -LOADING} to most commands meanwhile.
     */
    static void awaitLoaded(RespConnection client) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Object reply;
        while (!"PONG".equals(reply = client.callParsed("PING"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("server still not ready: " + reply);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** A score as Redis prints it ({@code inf}, {@code -inf}) or as Java does ({@code Infinity}). */
    static double score(String text) {
        return switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset other && databases.equals(other.databases);
    }

    @Override
    public int hashCode() {
        return databases.hashCode();
    }

    @Override
    public String toString() {
        return databases.toString();
    }
}
