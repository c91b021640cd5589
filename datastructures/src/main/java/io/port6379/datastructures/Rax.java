// A radix tree with compressed nodes, after Redis's rax: a sorted map from byte strings, walked byte by byte.
package io.port6379.datastructures;

import java.util.Arrays;

/*
 * Redis files a stream's nodes in a rax (rax.c) under their first entry's ID as 16 big-endian bytes, so that the
 * byte order of the keys is the order of the IDs and neighbouring IDs share their leading bytes. A radix tree
 * stores each shared run of bytes once: a node holds a run of bytes (its "prefix", Redis's compressed node) and
 * then branches on the next byte to its children, kept sorted. A key ends at a node that holds a value.
 *
 *   keys 1700000000000-0, 1700000000100-0, 1700000000200-0 (16 bytes each):
 *
 *   root -- [00 00 01 8b cf e5 68] -- branch on byte 7 --+-- [00 00 .. 00] value   (the ms's last byte, then
 *                                                        +-- [64 00 .. 00] value    the 8 bytes of seq 0)
 *                                                        +-- [c8 00 .. 00] value
 *
 * Finding a key is O(key length), whatever the number of keys; so are floor and ceiling, which back up at most
 * once to the nearest sibling on the left (right) and then follow its last (first) children down. Removing a key
 * merges a node left with one child and no value into that child, so every inner node branches or holds a value,
 * as in Redis. Bytes compare unsigned. Not thread-safe.
 */

/**
 * A sorted map from byte strings to values, as a radix tree with compressed nodes. Every operation is O(k), k the
 * key's length (16 for stream IDs). Keys given are not copied and must not change afterwards.
 */
public final class Rax<V> {

    /** A key and its value. */
    public record Entry<V>(byte[] key, V value) {
    }

    private static final byte[] NONE = {};
    @SuppressWarnings("rawtypes")
    private static final Node[] NO_CHILDREN = {};
    /** A node's own fields: prefix, labels, children, value, count. */
    private static final int NODE = MemorySizes.object(4, 1, 0);

    private static final class Node<V> {
        byte[] prefix;
        /** The first byte of each child's prefix, ascending (unsigned). */
        byte[] labels = NONE;
        @SuppressWarnings("unchecked")
        Node<V>[] children = NO_CHILDREN;
        /** The value of the key ending here, or null. */
        V value;
        /** How many of {@link #children} are used; the arrays have room to grow, as appends add at the end. */
        int count;

        Node(byte[] prefix) {
            this.prefix = prefix;
        }

        /** The index of the child whose prefix begins with {@code b}, or -(insertion point) - 1. */
        int find(byte b) {
            int lo = 0;
            int hi = count - 1;
            int key = b & 0xff;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = (labels[mid] & 0xff) - key;
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        void insertChild(int at, Node<V> child) {
            if (count == labels.length) {
                int capacity = count == 0 ? 2 : Math.min(256, 2 * count);
                labels = Arrays.copyOf(labels, capacity);
                children = Arrays.copyOf(children, capacity);
            }
            System.arraycopy(labels, at, labels, at + 1, count - at);
            System.arraycopy(children, at, children, at + 1, count - at);
            labels[at] = child.prefix[0];
            children[at] = child;
            count++;
        }

        void removeChild(int at) {
            System.arraycopy(labels, at + 1, labels, at, count - at - 1);
            System.arraycopy(children, at + 1, children, at, count - at - 1);
            count--;
            children[count] = null;
            if (count <= labels.length / 4) {
                labels = count == 0 ? NONE : Arrays.copyOf(labels, 2 * count);
                @SuppressWarnings("unchecked")
                Node<V>[] c = count == 0 ? NO_CHILDREN : Arrays.copyOf(children, 2 * count);
                children = c;
            }
        }
    }

    private final Node<V> root = new Node<>(NONE);
    private int size;
    private int nodes = 1;
    private long heap = MemorySizes.object(1, 2, 1) + heap(root);

    /** The number of keys. O(1). */
    public int size() {
        return size;
    }

    /** Whether there is no key. O(1). */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The number of tree nodes, the root included. O(1). */
    public int nodeCount() {
        return nodes;
    }

    /** The value of {@code key}, or null. O(k). */
    public V get(byte[] key) {
        Node<V> node = root;
        int depth = 0;
        while (true) {
            byte[] p = node.prefix;
            if (key.length - depth < p.length || !Arrays.equals(p, 0, p.length, key, depth, depth + p.length)) {
                return null;
            }
            depth += p.length;
            if (depth == key.length) {
                return node.value;
            }
            int at = node.find(key[depth]);
            if (at < 0) {
                return null;
            }
            node = node.children[at];
        }
    }

    /** Sets the value of {@code key} (not null); returns the previous one, or null. O(k). */
    public V put(byte[] key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("a rax holds no null value");
        }
        Node<V> node = root;
        int depth = 0;
        while (true) {
            byte[] p = node.prefix;
            int common = 0;
            while (common < p.length && depth + common < key.length && p[common] == key[depth + common]) {
                common++;
            }
            if (common < p.length) {
                // the key leaves (or ends inside) this node's run of bytes: split the run where they part
                heap -= heap(node);
                Node<V> tail = new Node<>(Arrays.copyOfRange(p, common, p.length));
                tail.labels = node.labels;
                tail.children = node.children;
                tail.count = node.count;
                tail.value = node.value;
                node.prefix = Arrays.copyOf(p, common);
                node.labels = NONE;
                @SuppressWarnings("unchecked")
                Node<V>[] none = NO_CHILDREN;
                node.children = none;
                node.count = 0;
                node.value = null;
                node.insertChild(0, tail);
                heap += heap(node) + heap(tail);
                nodes++;
            }
            depth += common;
            if (depth == key.length) {
                V old = node.value;
                node.value = value;
                if (old == null) {
                    size++;
                }
                return old;
            }
            int at = node.find(key[depth]);
            if (at < 0) {
                Node<V> leaf = new Node<>(Arrays.copyOfRange(key, depth, key.length));
                leaf.value = value;
                heap -= heap(node);
                node.insertChild(-at - 1, leaf);
                heap += heap(node) + heap(leaf);
                nodes++;
                size++;
                return null;
            }
            node = node.children[at];
        }
    }

    /** Removes {@code key}; returns its value, or null when absent. O(k). */
    public V remove(byte[] key) {
        Node<V> parent = null;
        int parentAt = -1;
        Node<V> node = root;
        int depth = 0;
        while (true) {
            byte[] p = node.prefix;
            if (key.length - depth < p.length || !Arrays.equals(p, 0, p.length, key, depth, depth + p.length)) {
                return null;
            }
            depth += p.length;
            if (depth == key.length) {
                break;
            }
            int at = node.find(key[depth]);
            if (at < 0) {
                return null;
            }
            parent = node;
            parentAt = at;
            node = node.children[at];
        }
        V old = node.value;
        if (old == null) {
            return null;
        }
        node.value = null;
        size--;
        if (node.count == 0 && parent != null) {
            heap -= heap(parent) + heap(node);
            parent.removeChild(parentAt);
            heap += heap(parent);
            nodes--;
            if (parent != root && parent.value == null && parent.count == 1) {
                mergeWithOnlyChild(parent);
            }
        } else if (node.count == 1 && node.value == null && node != root) {
            mergeWithOnlyChild(node);
        }
        return old;
    }

    /** A node with no value and one child takes the child's run of bytes, children and value. */
    private void mergeWithOnlyChild(Node<V> node) {
        Node<V> child = node.children[0];
        heap -= heap(node) + heap(child);
        byte[] joined = Arrays.copyOf(node.prefix, node.prefix.length + child.prefix.length);
        System.arraycopy(child.prefix, 0, joined, node.prefix.length, child.prefix.length);
        node.prefix = joined;
        node.labels = child.labels;
        node.children = child.children;
        node.count = child.count;
        node.value = child.value;
        heap += heap(node);
        nodes--;
    }

    /** The heap bytes of a node and its arrays; the shared empty arrays count for nothing. */
    private static long heap(Node<?> node) {
        return NODE + (node.prefix.length == 0 ? 0 : MemorySizes.byteArray(node.prefix.length))
                + (node.labels.length == 0 ? 0 : MemorySizes.byteArray(node.labels.length))
                + (node.children.length == 0 ? 0 : MemorySizes.referenceArray(node.children.length));
    }

    /** {@link #heapBytes} counted node by node, for tests. O(nodes). */
    long recountHeap() {
        return MemorySizes.object(1, 2, 1) + recount(root);
    }

    private static long recount(Node<?> node) {
        long total = heap(node);
        for (int i = 0; i < node.count; i++) {
            total += recount(node.children[i]);
        }
        return total;
    }

    /** The heap bytes of the tree without the values (see {@link MemorySizes}). O(1). */
    public long heapBytes() {
        return heap;
    }

    /** The first entry, or null when empty. O(k). */
    public Entry<V> first() {
        return size == 0 ? null : min(root, new Path());
    }

    /** The last entry, or null when empty. O(k). */
    public Entry<V> last() {
        return size == 0 ? null : max(root, new Path());
    }

    /** The value of the last key, or null when empty, without building its key. O(k). */
    public V lastValue() {
        if (size == 0) {
            return null;
        }
        Node<V> node = root;
        while (node.count > 0) {
            node = node.children[node.count - 1];
        }
        return node.value;
    }

    /** The value of the first key, or null when empty, without building its key. O(k). */
    public V firstValue() {
        if (size == 0) {
            return null;
        }
        Node<V> node = root;
        while (node.value == null) {
            node = node.children[0];
        }
        return node.value;
    }

    /** The entry with the greatest key at most {@code key}, or null. O(k). */
    public Entry<V> floor(byte[] key) {
        return floor(root, key, 0, new Path(), false);
    }

    /** The value of the greatest key at most {@code key}, or null, without building that key. O(k). */
    public V floorValue(byte[] key) {
        Entry<V> floor = floor(root, key, 0, new Path(false), false);
        return floor == null ? null : floor.value();
    }

    /** The entry with the greatest key below {@code key}, or null. O(k). */
    public Entry<V> lower(byte[] key) {
        return floor(root, key, 0, new Path(), true);
    }

    /** The entry with the least key at least {@code key}, or null. O(k). */
    public Entry<V> ceiling(byte[] key) {
        return ceiling(root, key, 0, new Path(), false);
    }

    /** The entry with the least key above {@code key}, or null. O(k). */
    public Entry<V> higher(byte[] key) {
        return ceiling(root, key, 0, new Path(), true);
    }

    /** The bytes from the root to a node, as the walk goes down and backs up; none kept when only values are wanted. */
    private static final class Path {
        byte[] bytes;
        int length;

        Path() {
            bytes = new byte[16];
        }

        Path(boolean keys) {
            bytes = keys ? new byte[16] : null;
        }

        void push(byte[] run) {
            if (bytes == null) {
                return;
            }
            if (length + run.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + run.length));
            }
            System.arraycopy(run, 0, bytes, length, run.length);
            length += run.length;
        }

        <V> Entry<V> entry(V value) {
            return new Entry<>(bytes == null ? null : Arrays.copyOf(bytes, length), value);
        }
    }

    /**
     * How the node's run of bytes compares with the key from {@code depth}: negative when the run is smaller (all
     * keys below are smaller), positive when greater or when the key ends inside the run (all keys below are
     * greater), 0 when the key goes on through the run or ends just after it.
     */
    private static int compareRun(byte[] run, byte[] key, int depth) {
        for (int i = 0; i < run.length; i++) {
            if (depth + i == key.length) {
                return 1;
            }
            int c = (run[i] & 0xff) - (key[depth + i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private Entry<V> floor(Node<V> node, byte[] key, int depth, Path path, boolean strict) {
        int c = compareRun(node.prefix, key, depth);
        if (c > 0) {
            return null;
        }
        int mark = path.length;
        if (c < 0) {
            return max(node, path);
        }
        path.push(node.prefix);
        depth += node.prefix.length;
        if (depth == key.length) {
            Entry<V> exact = strict || node.value == null ? null : path.entry(node.value);
            path.length = mark;
            return exact; // every key below is longer, so greater
        }
        int at = node.find(key[depth]);
        int left;
        if (at >= 0) {
            Entry<V> below = floor(node.children[at], key, depth, path, strict);
            if (below != null) {
                return below;
            }
            left = at - 1;
        } else {
            left = -at - 2;
        }
        if (left >= 0) {
            return max(node.children[left], path);
        }
        Entry<V> here = node.value == null ? null : path.entry(node.value);
        path.length = mark;
        return here;
    }

    private Entry<V> ceiling(Node<V> node, byte[] key, int depth, Path path, boolean strict) {
        int c = compareRun(node.prefix, key, depth);
        if (c < 0) {
            return null;
        }
        int mark = path.length;
        if (c > 0) {
            return min(node, path);
        }
        path.push(node.prefix);
        depth += node.prefix.length;
        if (depth == key.length) {
            if (node.value != null && !strict) {
                return path.entry(node.value);
            }
            if (node.count > 0) {
                return min(node.children[0], path); // longer keys are greater
            }
            path.length = mark;
            return null;
        }
        int at = node.find(key[depth]);
        int right;
        if (at >= 0) {
            Entry<V> below = ceiling(node.children[at], key, depth, path, strict);
            if (below != null) {
                return below;
            }
            right = at + 1;
        } else {
            right = -at - 1;
        }
        if (right < node.count) {
            return min(node.children[right], path);
        }
        path.length = mark;
        return null;
    }

    /** The least entry at or below {@code node}: its own value comes before its longer children's. */
    private Entry<V> min(Node<V> node, Path path) {
        while (true) {
            path.push(node.prefix);
            if (node.value != null) {
                return path.entry(node.value);
            }
            node = node.children[0];
        }
    }

    /** The greatest entry at or below {@code node}: down the last children. */
    private Entry<V> max(Node<V> node, Path path) {
        while (true) {
            path.push(node.prefix);
            if (node.count == 0) {
                return path.entry(node.value);
            }
            node = node.children[node.count - 1];
        }
    }
}
