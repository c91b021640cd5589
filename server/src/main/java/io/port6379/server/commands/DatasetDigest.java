// DEBUG DIGEST and DIGEST-VALUE: Redis's SHA-1 signature of the data, equal on both servers for the same writes.
package io.port6379.server.commands;

import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.StreamId;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ScoredMember;
import io.port6379.server.Databases;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Redis's {@code debug.c} digest, step for step, so that the same data gives the same 40 hex digits on Redis and
 * here, whatever the encodings and the table order. Two ways of adding bytes to a 20-byte digest:
 *
 * <ul>
 *   <li><b>xor</b> ({@code xorDigest}): {@code digest ^= SHA1(bytes)}. Order does not matter, so it adds the
 *       elements of sets and hashes, the keys of a database, and the expiry mark.</li>
 *   <li><b>mix</b> ({@code mixDigest}): {@code digest = SHA1(digest ^ SHA1(bytes))}. Order matters, so it adds a
 *       list's elements, a key before its value, a member before its score.</li>
 * </ul>
 *
 * One key: {@code d = 0; mix(key); mix(type as 4 big-endian bytes); <value>; if it has a TTL, xor("!!expire!!")}.
 * A string mixes its bytes; a list mixes each element; a set xors each member; a hash xors, per field, the 20
 * bytes of {@code e = 0; mix(field); mix(value)}; a sorted set the same with the member and its score as C's
 * {@code %.17g}. The dataset: per non-empty database, {@code mix(final, db number as 4 bytes)}, then
 * {@code xor(final, d)} per key. Every xor hashes what it adds, even a 20-byte digest.
 * Keys whose time has passed but are still stored count, as Redis walks its dict without looking keys up.
 */
final class DatasetDigest {

    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** DEBUG DIGEST: all zeros for an empty server. O(keys + elements). */
    byte[] dataset(Databases databases) {
        byte[] total = new byte[20];
        for (int db = 0; db < databases.count(); db++) {
            Keyspace keyspace = databases.get(db);
            if (keyspace.size() == 0) {
                continue;
            }
            mix(total, bigEndian(db));
            keyspace.forEachEntry((key, value, expireAt) -> {
                byte[] digest = new byte[20];
                mix(digest, key);
                value(digest, value, expireAt >= 0);
                xor(total, digest);
            });
        }
        return total;
    }

    /** DEBUG DIGEST-VALUE's digest of one value (the key itself is not in it); all zeros for a missing key. */
    byte[] value(RedisValue value, boolean volatileKey) {
        byte[] digest = new byte[20];
        if (value != null) {
            value(digest, value, volatileKey);
        }
        return digest;
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private void value(byte[] digest, RedisValue value, boolean volatileKey) {
        switch (value) {
            case RedisString s -> {
                mix(digest, bigEndian(0));
                mix(digest, s.bytes());
            }
            case RedisList list -> {
                mix(digest, bigEndian(1));
                list.forEachInRange(0, -1, element -> mix(digest, element));
            }
            case RedisSet set -> {
                mix(digest, bigEndian(2));
                set.forEach(member -> xor(digest, member.array()));
            }
            case RedisSortedSet zset -> {
                mix(digest, bigEndian(3));
                for (ScoredMember element : zset.rangeByRank(0, -1, false)) {
                    byte[] pair = new byte[20];
                    mix(pair, element.member().array());
                    mix(pair, RedisNumbers.formatG17(element.score()).getBytes(StandardCharsets.US_ASCII));
                    xor(digest, pair);
                }
            }
            case RedisHash hash -> {
                mix(digest, bigEndian(4));
                hash.forEach((field, fieldValue) -> {
                    byte[] pair = new byte[20];
                    mix(pair, field);
                    mix(pair, fieldValue);
                    xor(digest, pair);
                });
            }
            case RedisStream stream -> {
                mix(digest, bigEndian(6)); // OBJ_STREAM; the entries in order, each ID as "ms.seq", not the groups
                java.util.Iterator<RedisStream.Entry> entries = stream.iterator(StreamId.MIN, StreamId.MAX, false);
                while (entries.hasNext()) {
                    RedisStream.Entry entry = entries.next();
                    mix(digest, (Long.toUnsignedString(entry.id().ms()) + "." + Long.toUnsignedString(entry.id().seq()))
                            .getBytes(StandardCharsets.US_ASCII));
                    for (byte[] fieldOrValue : entry.fieldsAndValues()) {
                        mix(digest, fieldOrValue);
                    }
                }
            }
            default -> throw new IllegalStateException("no digest for " + value.type());
        }
        if (volatileKey) {
            xor(digest, EXPIRE_MARK);
        }
    }

    /** {@code xorDigest}: digest ^= SHA1(bytes). */
    private void xor(byte[] digest, byte[] bytes) {
        xor(digest, sha1.digest(bytes), 20);
    }

    private static void xor(byte[] digest, byte[] other, int length) {
        for (int i = 0; i < length; i++) {
            digest[i] ^= other[i];
        }
    }

    /** {@code mixDigest}: digest = SHA1(digest ^ SHA1(bytes)). */
    private void mix(byte[] digest, byte[] bytes) {
        xor(digest, bytes);
        System.arraycopy(sha1.digest(digest), 0, digest, 0, 20);
    }

    /** Redis's {@code htonl} of a type or database number: four bytes, most significant first. */
    private static byte[] bigEndian(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
