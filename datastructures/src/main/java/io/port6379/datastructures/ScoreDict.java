// The member index of a sorted set: member -> skip-list node (which holds the score), for O(1) ZSCORE.
package io.port6379.datastructures;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A chained hash table whose entries are the skip-list nodes themselves ({@link SkipList.Node#nextInBucket}),
 * Redis's {@code zset->dict}. Sharing the node saves an entry object per member. The table doubles when it
 * is full (load factor 1) and halves below 10% fill, as Redis's dict does (without its incremental rehash:
 * one table, resized at once). Not thread-safe.
 */
final class ScoreDict {

    private static final int INITIAL_SIZE = 4;

    private SkipList.Node[] table = new SkipList.Node[INITIAL_SIZE];
    private int size;

    static int hash(byte[] member) {
        int h = Arrays.hashCode(member);
        return h ^ (h >>> 16);
    }

    int size() {
        return size;
    }

    /** The node of {@code member}, or null. O(1). */
    SkipList.Node get(byte[] member, int hash) {
        for (SkipList.Node n = table[hash & (table.length - 1)]; n != null; n = n.nextInBucket) {
            if (n.hash == hash && Arrays.equals(n.member, member)) {
                return n;
            }
        }
        return null;
    }

    /** Adds a node whose member is not present. Amortized O(1). */
    void add(SkipList.Node node) {
        if (size >= table.length) {
            resize(table.length * 2);
        }
        int index = node.hash & (table.length - 1);
        node.nextInBucket = table[index];
        table[index] = node;
        size++;
    }

    /** Puts {@code replacement} (same member) where {@code old} was. O(1) expected. */
    void replace(SkipList.Node old, SkipList.Node replacement) {
        if (old == replacement) {
            return;
        }
        remove(old);
        add(replacement);
    }

    /** Removes {@code node}, which must be present. O(1) expected. */
    void remove(SkipList.Node node) {
        int index = node.hash & (table.length - 1);
        SkipList.Node prev = null;
        for (SkipList.Node n = table[index]; n != null; prev = n, n = n.nextInBucket) {
            if (n == node) {
                if (prev == null) {
                    table[index] = n.nextInBucket;
                } else {
                    prev.nextInBucket = n.nextInBucket;
                }
                n.nextInBucket = null;
                size--;
                if (table.length > INITIAL_SIZE && size * 10L < table.length) {
                    resize(Math.max(INITIAL_SIZE, Integer.highestOneBit(Math.max(size, 1)) * 2));
                }
                return;
            }
        }
        throw new IllegalStateException("node not in dict");
    }

    private void resize(int newLength) {
        SkipList.Node[] old = table;
        table = new SkipList.Node[newLength];
        for (SkipList.Node head : old) {
            for (SkipList.Node n = head; n != null; ) {
                SkipList.Node next = n.nextInBucket;
                int index = n.hash & (newLength - 1);
                n.nextInBucket = table[index];
                table[index] = n;
                n = next;
            }
        }
    }

    /** Visits the bucket {@code cursor} points at and returns the next cursor (0: done), as {@link SetDict#scanBucket}. */
    long scanBucket(long cursor, Consumer<SkipList.Node> visitor) {
        int mask = table.length - 1;
        for (SkipList.Node n = table[(int) (cursor & mask)]; n != null; n = n.nextInBucket) {
            visitor.accept(n);
        }
        return SetDict.nextCursor(cursor, mask);
    }
}
