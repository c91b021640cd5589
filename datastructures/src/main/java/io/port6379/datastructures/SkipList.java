// The ordered half of a sorted set: a skip list with span counts, after Redis's t_zset.c.
package io.port6379.datastructures;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/*
 * A skip list is a sorted linked list with express lanes. Every node is on level 1, the plain list; each
 * node is also on level 2 with probability 1/4, on level 3 with probability 1/16, and so on up to 32 levels.
 * A search starts on the highest lane of the header, runs forward while the next node is still smaller than
 * the target, and drops one level when it would overshoot. With p = 1/4 each level holds a quarter of the
 * nodes of the level below, so a search crosses about 4/2 = 2 nodes per level on average over log4(N)
 * levels: O(log(N)) expected, with no rebalancing, and an insert touches only the nodes whose lanes it cuts.
 *
 * Redis adds two things to William Pugh's original, and so do we:
 *
 * 1. Spans. Each forward pointer remembers how many level-1 steps it jumps over:
 *
 *      level 3  H -------------------------------3-------------------------> C ---2---> E --1--> NIL
 *      level 2  H -------1------> A ------2------------------------------> C ---2---> E --1--> NIL
 *      level 1  H --1--> A --1--> B --1--> C --1--> D --1--> E --1--> NIL
 *
 *    The rank of a node (its 1-based position) is the sum of the spans of the pointers followed to reach
 *    it. The search for a node already follows O(log(N)) pointers, so adding up their spans on the way
 *    gives the rank at no extra cost: ZRANK is O(log(N)) instead of the O(N) of counting level-1 steps.
 *    The same sum, used the other way round, finds the node at a given rank in O(log(N)) (ZRANGE 1000 1010).
 *    Insert and delete keep spans right by adjusting only the pointers on the search path ("update").
 *
 * 2. A backward pointer on level 1, so ZREVRANGE can walk from the tail towards the head.
 *
 * Nodes are ordered by score, then by member bytes as memcmp compares them, so members with equal scores
 * come out in lexicographic order (which is what makes ZRANGEBYLEX meaningful on equal scores). Scores
 * are compared with < and ==, as in C: -0.0 equals 0.0, so they are one score, ordered by member.
 *
 * The node is also the entry of the member index (a Dict.Entry subclass: its key is the member), so one
 * object per member serves both halves of the sorted set, which saves memory.
 */

/**
 * The skip list of a sorted set (Redis's {@code zskiplist}). Ranks here are 1-based, as in {@code t_zset.c};
 * {@link RedisSortedSet} converts to Redis's 0-based command ranks. Not thread-safe.
 */
final class SkipList {

    static final int MAX_LEVEL = 32;
    /** Probability that a node on level i is also on level i+1, as {@code ZSKIPLIST_P}. */
    static final double P = 0.25;

    // tag::node[]
    /**
     * A member (the entry's key) with its score and its lanes; also the member index's {@link Dict.Entry}.
     * Redis's node carries its lanes inline (a C flexible array), so following a lane costs one cache miss, the
     * node's. Java has no variable-sized objects, so the lanes of the first three levels are fields, in one class
     * per height ({@link Node2}, {@link Node3}), and only nodes above level 3 (one in 64) keep the rest in arrays
     * ({@link NodeN}). A search crosses most nodes on those first levels; an array there would be a second object,
     * and a second miss, for every step.
     */
    static class Node extends Dict.Entry {
        double score;
        Node backward;
        private Node next;
        private int nextSpan;

        Node(double score, byte[] member, int hash) {
            super(member, hash, null);
            this.score = score;
        }

        static Node create(int level, double score, byte[] member, int hash) {
            return switch (level) {
                case 1 -> new Node(score, member, hash);
                case 2 -> new Node2(score, member, hash);
                case 3 -> new Node3(score, member, hash);
                default -> new NodeN(level, score, member, hash);
            };
        }

        /** The forward pointer on level {@code i + 1} (0 is the bottom lane); {@code i} below {@link #level}. */
        final Node forward(int i) {
            return switch (i) {
                case 0 -> next;
                case 1 -> ((Node2) this).next2;
                case 2 -> ((Node3) this).next3;
                default -> ((NodeN) this).upper[i - 3];
            };
        }
        // end::node[]

        int level() {
            return 1;
        }

        final void forward(int i, Node node) {
            switch (i) {
                case 0 -> next = node;
                case 1 -> ((Node2) this).next2 = node;
                case 2 -> ((Node3) this).next3 = node;
                default -> ((NodeN) this).upper[i - 3] = node;
            }
        }

        /** How many bottom-lane steps the forward pointer on level {@code i + 1} jumps. */
        final int span(int i) {
            return switch (i) {
                case 0 -> nextSpan;
                case 1 -> ((Node2) this).span2;
                case 2 -> ((Node3) this).span3;
                default -> ((NodeN) this).upperSpan[i - 3];
            };
        }

        final void span(int i, int span) {
            switch (i) {
                case 0 -> nextSpan = span;
                case 1 -> ((Node2) this).span2 = span;
                case 2 -> ((Node3) this).span3 = span;
                default -> ((NodeN) this).upperSpan[i - 3] = span;
            }
        }
    }

    /** A node on two levels: the second lane inline. */
    static class Node2 extends Node {
        private Node next2;
        private int span2;

        Node2(double score, byte[] member, int hash) {
            super(score, member, hash);
        }

        @Override
        int level() {
            return 2;
        }
    }

    /** A node on three levels. */
    static class Node3 extends Node2 {
        private Node next3;
        private int span3;

        Node3(double score, byte[] member, int hash) {
            super(score, member, hash);
        }

        @Override
        int level() {
            return 3;
        }
    }

    /** A node on four levels or more: the lanes above the third in two arrays. */
    static final class NodeN extends Node3 {
        private final Node[] upper;      // forward pointers of levels 4, 5, ...
        private final int[] upperSpan;

        NodeN(int level, double score, byte[] member, int hash) {
            super(score, member, hash);
            this.upper = new Node[level - 3];
            this.upperSpan = new int[level - 3];
        }

        @Override
        int level() {
            return upper.length + 3;
        }
    }

    private final Node header = Node.create(MAX_LEVEL, 0, null, 0);
    private Node tail;
    private int length;
    private int level = 1;
    /** The heap bytes of the nodes (the header included), kept as nodes come and go. */
    private long nodeBytes = nodeBytes(MAX_LEVEL);

    /** A node: the dict entry's four fields, score, backward, next, nextSpan; then a lane per level up to 3. */
    private static final int NODE = MemorySizes.object(3 + 2, 1 + 1, 1);
    private static final int NODE2 = MemorySizes.object(3 + 3, 1 + 2, 1);
    private static final int NODE3 = MemorySizes.object(3 + 4, 1 + 3, 1);
    /** A node of 4 levels or more: the third's fields, upper and upperSpan, and the two arrays. */
    private static final int NODEN = MemorySizes.object(3 + 6, 1 + 3, 1);

    /** A node of {@code level} levels. */
    private static long nodeBytes(int level) {
        return switch (level) {
            case 1 -> NODE;
            case 2 -> NODE2;
            case 3 -> NODE3;
            default -> NODEN + MemorySizes.referenceArray(level - 3) + MemorySizes.intArray(level - 3);
        };
    }

    /** This object (header, tail, length, level, nodeBytes) and its nodes, not the members' bytes. O(1). */
    long memoryUsage() {
        return MemorySizes.object(2, 2, 1) + nodeBytes;
    }

    int length() {
        return length;
    }

    Node first() {
        return header.forward(0);
    }

    Node last() {
        return tail;
    }

    /** The node after {@code node} in order, or null. O(1). */
    static Node next(Node node) {
        return node.forward(0);
    }

    /** Whether (score, member) sorts strictly before the node. */
    private static boolean lessThan(Node node, double score, byte[] member) {
        return node.score < score || (node.score == score && Arrays.compareUnsigned(node.key, member) < 0);
    }

    // tag::random-level[]
    /** A level between 1 and 32, each further level with probability 1/4: a power law, as zslRandomLevel. */
    static int randomLevel() {
        int level = 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (level < MAX_LEVEL && random.nextInt(0x10000) < (int) (P * 0x10000)) {
            level++;
        }
        return level;
    }
    // end::random-level[]

    /** Inserts a member that is not in the list yet. Expected O(log(N)). */
    // tag::insert-search[]
    Node insert(double score, byte[] member, int hash) {
        Node[] update = new Node[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            // rank[i] = number of nodes crossed to reach update[i]
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward(i) != null && lessThan(x.forward(i), score, member)) {
                rank[i] += x.span(i);
                x = x.forward(i);
            }
            update[i] = x;
        }
        // end::insert-search[]
        // tag::insert-link[]
        int newLevel = randomLevel();
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span(i, length); // the header's empty lane jumps over the whole list
            }
            level = newLevel;
        }
        Node node = Node.create(newLevel, score, member, hash);
        nodeBytes += nodeBytes(newLevel);
        for (int i = 0; i < newLevel; i++) {
            node.forward(i, update[i].forward(i));
            update[i].forward(i, node);
            // update[i] jumped span[i] nodes; the new node splits that jump in two
            node.span(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].span(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = newLevel; i < level; i++) {
            update[i].span(i, update[i].span(i) + 1); // higher lanes now jump over one more node
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.forward(0) != null) {
            node.forward(0).backward = node;
        } else {
            tail = node;
        }
        length++;
        return node;
    }
    // end::insert-link[]

    /** Unlinks {@code x}, given the last node before it on every level. O(level). */
    private void deleteNode(Node x, Node[] update) {
        nodeBytes -= nodeBytes(x.level());
        for (int i = 0; i < level; i++) {
            if (update[i].forward(i) == x) {
                update[i].span(i, update[i].span(i) + x.span(i) - 1);
                update[i].forward(i, x.forward(i));
            } else {
                update[i].span(i, update[i].span(i) - 1);
            }
        }
        if (x.forward(0) != null) {
            x.forward(0).backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** The search path to the first node for which {@code before} is false. O(log(N)). */
    private Node[] pathTo(Predicate<Node> before) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward(i) != null && before.test(x.forward(i))) {
                x = x.forward(i);
            }
            update[i] = x;
        }
        return update;
    }

    /** Removes {@code node}, which must be in the list. Expected O(log(N)). */
    void delete(Node node) {
        Node[] update = pathTo(n -> lessThan(n, node.score, node.key));
        deleteNode(node, update);
    }

    /**
     * Changes a node's score, moving it only when its neighbours say it must move, as zslUpdateScore.
     * Returns the node now holding the member (the same one, or a new one). Expected O(log(N)).
     */
    Node updateScore(Node node, double newScore) {
        Node prev = node.backward;
        Node next = node.forward(0);
        if ((prev == null || prev.score < newScore || (prev.score == newScore
                && Arrays.compareUnsigned(prev.key, node.key) < 0))
                && (next == null || next.score > newScore || (next.score == newScore
                && Arrays.compareUnsigned(next.key, node.key) > 0))) {
            node.score = newScore; // still between the same neighbours: no relinking needed
            return node;
        }
        delete(node);
        return insert(newScore, node.key, node.hash);
    }

    // tag::rank[]
    /** The 1-based rank of the node with this score and member. O(log(N)). */
    int rank(double score, byte[] member) {
        int rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward(i) != null && (lessThan(x.forward(i), score, member)
                    || x.forward(i).score == score && Arrays.equals(x.forward(i).key, member))) {
                rank += x.span(i); // the spans of the pointers we follow add up to the rank
                x = x.forward(i);
            }
            if (x.key != null && Arrays.equals(x.key, member)) {
                return rank;
            }
        }
        return 0;
    }

    /** The node at a 1-based rank, or null when out of range. O(log(N)). */
    Node nodeByRank(long rank) {
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward(i) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = x.forward(i);
            }
            if (traversed == rank) {
                return x == header ? null : x;
            }
        }
        return null;
    }
    // end::rank[]

    /**
     * The first node whose score is at least {@code min} (above it when {@code exclusive}), or null: the search of
     * {@code zslFirstInRange}. The same as {@link #firstNotBefore} with the score test written out, so that the
     * loop of the range commands and of every GEO search compares doubles inline instead of calling a predicate
     * that has many implementations. O(log(N)).
     */
    Node firstByScore(double min, boolean exclusive) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node next = x.forward(i);
            while (next != null && (next.score < min || exclusive && next.score == min)) {
                x = next;
                next = x.forward(i);
            }
        }
        return x.forward(0);
    }

    /** The last node whose score is at most {@code max} (below it when {@code exclusive}), or null. O(log(N)). */
    Node lastByScore(double max, boolean exclusive) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node next = x.forward(i);
            while (next != null && (next.score < max || !exclusive && next.score == max)) {
                x = next;
                next = x.forward(i);
            }
        }
        return x == header ? null : x;
    }

    /** The first node for which {@code before} is false (the list is partitioned by it), or null. O(log(N)). */
    Node firstNotBefore(Predicate<Node> before) {
        return pathTo(before)[0].forward(0);
    }

    /** The last node for which {@code notAfter} is true (a prefix of the list), or null. O(log(N)). */
    Node lastNotAfter(Predicate<Node> notAfter) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward(i) != null && notAfter.test(x.forward(i))) {
                x = x.forward(i);
            }
        }
        return x == header ? null : x;
    }

    /**
     * Removes the run of nodes that starts at the first node for which {@code before} is false and continues
     * while {@code inRange} holds, calling {@code removed} for each. O(log(N)+M), M the number removed.
     */
    int deleteRange(Predicate<Node> before, Predicate<Node> inRange, Consumer<Node> removed) {
        Node[] update = pathTo(before);
        Node x = update[0].forward(0);
        int count = 0;
        while (x != null && inRange.test(x)) {
            Node next = x.forward(0);
            deleteNode(x, update);
            removed.accept(x);
            count++;
            x = next;
        }
        return count;
    }

    /** Removes the nodes with 1-based ranks in [start, end]. O(log(N)+M). */
    int deleteRangeByRank(long start, long end, Consumer<Node> removed) {
        Node[] update = new Node[MAX_LEVEL];
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward(i) != null && traversed + x.span(i) < start) {
                traversed += x.span(i);
                x = x.forward(i);
            }
            update[i] = x;
        }
        traversed++;
        x = x.forward(0);
        int count = 0;
        while (x != null && traversed <= end) {
            Node next = x.forward(0);
            deleteNode(x, update);
            removed.accept(x);
            count++;
            traversed++;
            x = next;
        }
        return count;
    }

    /** Checks the structural invariants; for tests. Returns a description of the first violation, or null. O(N). */
    String checkInvariants() {
        int[] position = new int[1];
        IdentityHashMap<Node, Integer> rankOf = new IdentityHashMap<>();
        Node prev = null;
        for (Node x = header.forward(0); x != null; x = x.forward(0)) {
            rankOf.put(x, ++position[0]);
            if (x.backward != prev) {
                return "backward pointer of rank " + position[0];
            }
            if (prev != null && !lessThan(prev, x.score, x.key)) {
                return "order at rank " + position[0];
            }
            prev = x;
        }
        if (tail != prev || position[0] != length) {
            return "tail or length";
        }
        for (int i = 0; i < MAX_LEVEL; i++) {
            Node x = header;
            int rank = 0;
            while (x.forward(i) != null) {
                int target = rankOf.get(x.forward(i));
                if (rank + x.span(i) != target) {
                    return "span on level " + (i + 1) + " at rank " + rank;
                }
                rank = target;
                x = x.forward(i);
            }
            if (i >= level && header.forward(i) != null) {
                return "level above the list's level";
            }
        }
        return null;
    }
}
