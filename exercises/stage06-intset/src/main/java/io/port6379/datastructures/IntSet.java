// Exercise 06: your intset, the encoding of a small all-integer set. It replaces the reference
// io.port6379.datastructures.IntSet, under the reference RedisSet and SetCommands. Check it with
// `exercises/check 06`; talk to it with `exercises/run-server 06 --port 6380` and redis-cli (SADD s 1 2 3,
// OBJECT ENCODING s, SISMEMBER s 2, SADD s 100000 then MEMORY USAGE s).
//
// What to build, in the order the tests check it (chapter 06, "intset"):
//  1. The layout: the members sorted ascending in one byte[] of fixed-width little-endian integers, the width the
//     smallest of 2, 4 or 8 bytes that holds every member (MethodHandles.byteArrayViewVarHandle(short[].class,
//     ByteOrder.LITTLE_ENDIAN) and its int and long siblings read and write them). An empty intset has width 2.
//  2. contains: a binary search. add: find the position by binary search, then copy the array with a slot opened
//     there; a value wider than the width "upgrades" the whole array first (it then goes at one end: it is the
//     smallest or the largest member). Never downgrade, not even after removes.
//  3. remove, get (the index-th smallest), size, width; blobLength() is size * width, as intsetBlobLen without
//     its 8-byte header; memoryUsage() is this object and its array: MemorySizes.object(1, 2, 0) (one reference,
//     two ints) + MemorySizes.of(array), as the reference, so that MEMORY USAGE stays Redis-like.
// RedisSet decides when to leave the intset (a 513th member, a member that is not a canonical integer): your class
// only holds integers. The tests compare members as integers, not text ("10" sorts after "9").
// Tests: datastructures/src/test/java/io/port6379/datastructures/RedisSetTest.java and RedisSetProperties.java.
// The reference solution is datastructures/src/main/java/io/port6379/datastructures/IntSet.java.
package io.port6379.datastructures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's {@code intset}: the members, sorted, in one byte array whose element width is the smallest that
 * holds every member (2, 4 or 8 bytes). Adding a wider integer "upgrades" the whole array at once; it never
 * downgrades. Membership is a binary search, so add and remove are O(N) (the array moves), which is why
 * Redis switches to a hash table past {@code set-max-intset-entries} (512). Not thread-safe.
 */
final class IntSet {

    /** This object and its contents array. O(1). */
    long memoryUsage() {
        throw new UnsupportedOperationException("exercise 06: memoryUsage()");
    }

    int size() {
        throw new UnsupportedOperationException("exercise 06: size()");
    }

    /** The encoding width in bytes (2, 4 or 8), as {@code intset->encoding}. */
    int width() {
        throw new UnsupportedOperationException("exercise 06: width()");
    }

    /** The integer at position {@code index} in ascending order. O(1). */
    long get(int index) {
        throw new UnsupportedOperationException("exercise 06: get()");
    }

    /** O(log(N)). */
    boolean contains(long value) {
        throw new UnsupportedOperationException("exercise 06: contains()");
    }

    /** Adds {@code value}; false when already present. O(N): the array is copied. */
    boolean add(long value) {
        throw new UnsupportedOperationException("exercise 06: add()");
    }


    /** Removes {@code value}; false when absent. O(N). */
    boolean remove(long value) {
        throw new UnsupportedOperationException("exercise 06: remove()");
    }

    /** Bytes used by the integers themselves, as {@code intsetBlobLen} without the 8-byte header. */
    int blobLength() {
        throw new UnsupportedOperationException("exercise 06: blobLength()");
    }
}
