// A value as it was at the moment of a snapshot, flattened into plain lists nobody else can change.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ScoredMember;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RdbWriter} writes: a value's content, copied out of the live (mutable) value. Freezing costs one
 * pass over the value, O(N); the element byte arrays are shared, not copied, because the data structures never
 * change a stored element in place — they replace it.
 */
sealed interface FrozenValue {

    /** A string (strings are immutable: the bytes are shared). */
    record StringValue(byte[] bytes) implements FrozenValue {
    }

    record ListValue(List<byte[]> elements) implements FrozenValue {
    }

    /**
     * {@code intset} when every member is a small integer held as an intset (written as such, as Redis does), with
     * the intset's element width in bytes (2, 4 or 8; 0 for a hash table).
     */
    record SetValue(List<Bytes> members, boolean intset, int intsetWidth) implements FrozenValue {
    }

    /** Fields and values alternate, in the listpack's order when {@code listpack}, else in the table's. */
    record HashValue(List<byte[]> fieldsAndValues, boolean listpack) implements FrozenValue {
    }

    /** Ascending by score, then member; {@code listpack} when Redis would hold it so (else a skip list). */
    record SortedSetValue(List<ScoredMember> members, boolean listpack) implements FrozenValue {
    }

    /** The content of {@code value} now. O(N) in its elements. */
    static FrozenValue of(RedisValue value) {
        return switch (value) {
            case RedisString s -> new StringValue(s.bytes());
            case RedisList list -> new ListValue(list.range(0, -1));
            case RedisSet set -> new SetValue(set.members(), set.encoding().equals("intset"), set.intsetWidth());
            case RedisHash hash -> {
                List<byte[]> fieldsAndValues = new ArrayList<>(2 * hash.size());
                hash.forEach((field, v) -> {
                    fieldsAndValues.add(field);
                    fieldsAndValues.add(v);
                });
                yield new HashValue(fieldsAndValues, hash.encoding().equals("listpack"));
            }
            case RedisSortedSet zset -> new SortedSetValue(zset.rangeByRank(0, -1, false), zset.encoding().equals("listpack"));
            default -> throw new IllegalArgumentException("RDB cannot save a value of type " + value.type());
        };
    }
}
