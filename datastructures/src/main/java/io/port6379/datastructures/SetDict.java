// The "hashtable" encoding of a set: a chained hash table with random access and Redis's scan cursor.
package io.port6379.datastructures;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A chained hash table of members, Redis's {@code dict} as a set uses it. We do not use {@link java.util.HashSet}
 * because SPOP and SRANDMEMBER need a random member in O(1) and SSCAN needs a cursor that survives resizes;
 * both need the buckets. Doubles at load factor 1, halves below 10% fill, all at once. Not thread-safe.
 */
final class SetDict {

    private static final int INITIAL_SIZE = 4;

    private static final class Node {
        final Bytes member;
        Node next;

        Node(Bytes member, Node next) {
            this.member = member;
            this.next = next;
        }
    }

    private Node[] table;
    private int size;

    SetDict(int expectedSize) {
        int length = INITIAL_SIZE;
        while (length < expectedSize) {
            length <<= 1;
        }
        table = new Node[length];
    }

    private static int hash(Bytes member) {
        int h = member.hashCode();
        return h ^ (h >>> 16);
    }

    int size() {
        return size;
    }

    /** O(1). */
    boolean contains(Bytes member) {
        for (Node n = table[hash(member) & (table.length - 1)]; n != null; n = n.next) {
            if (n.member.equals(member)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code member}; false when already present. Amortized O(1). */
    boolean add(Bytes member) {
        if (contains(member)) {
            return false;
        }
        if (size >= table.length) {
            resize(table.length * 2);
        }
        int index = hash(member) & (table.length - 1);
        table[index] = new Node(member, table[index]);
        size++;
        return true;
    }

    /** Removes {@code member}; false when absent. O(1) expected. */
    boolean remove(Bytes member) {
        int index = hash(member) & (table.length - 1);
        Node prev = null;
        for (Node n = table[index]; n != null; prev = n, n = n.next) {
            if (n.member.equals(member)) {
                if (prev == null) {
                    table[index] = n.next;
                } else {
                    prev.next = n.next;
                }
                size--;
                if (table.length > INITIAL_SIZE && size * 10L < table.length) {
                    resize(Math.max(INITIAL_SIZE, Integer.highestOneBit(Math.max(size, 1)) * 2));
                }
                return true;
            }
        }
        return false;
    }

    private void resize(int newLength) {
        Node[] old = table;
        table = new Node[newLength];
        for (Node head : old) {
            for (Node n = head; n != null; ) {
                Node next = n.next;
                int index = hash(n.member) & (newLength - 1);
                n.next = table[index];
                table[index] = n;
                n = next;
            }
        }
    }

    // tag::random-member[]
    /**
     * A random member of a non-empty table, as Redis's {@code dictGetRandomKey}: a random non-empty bucket,
     * then a random entry of its chain. Members in long chains are a little less likely than others; the
     * fill of at least 10% keeps the expected number of tries bounded. O(1) expected.
     */
    Bytes randomMember(RandomGenerator random) {
        Node head;
        do {
            head = table[random.nextInt(table.length)];
        } while (head == null);
        int chain = 0;
        for (Node n = head; n != null; n = n.next) {
            chain++;
        }
        Node n = head;
        for (int skip = random.nextInt(chain); skip > 0; skip--) {
            n = n.next;
        }
        return n.member;
    }
    // end::random-member[]

    /** Calls {@code action} for every member, in table order. O(N). */
    void forEach(Consumer<Bytes> action) {
        for (Node head : table) {
            for (Node n = head; n != null; n = n.next) {
                action.accept(n.member);
            }
        }
    }

    /** Visits the bucket {@code cursor} points at and returns the next cursor (0: done). O(1) expected. */
    long scanBucket(long cursor, Consumer<Bytes> visitor) {
        int mask = table.length - 1;
        for (Node n = table[(int) (cursor & mask)]; n != null; n = n.next) {
            visitor.accept(n.member);
        }
        return nextCursor(cursor, mask);
    }

    // tag::scan-cursor[]
    /**
     * Redis's reverse-binary cursor increment ({@code dictScan}): add one to the cursor's bits read from the
     * high end. Buckets are visited in an order in which, after the table doubles, the buckets already
     * visited map onto exactly the new buckets already "behind" the cursor, and after it halves, onto buckets
     * merged from visited ones. So a member present during the whole scan is returned at least once (maybe
     * twice after a shrink), however the table is resized between calls.
     */
    static long nextCursor(long cursor, int mask) {
        cursor |= ~(long) mask;   // set the bits above the mask, so the increment carries past them
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
    // end::scan-cursor[]
}
