// Exercise 05: your skip list with spans. It replaces the reference io.port6379.datastructures.SkipList,
// under the reference RedisSortedSet. Check it with `exercises/check 07`; run it with `exercises/run-server 07`.
package io.port6379.datastructures;

import java.util.Arrays;
import java.util.IdentityHashMap;
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
 *
 * <p>Given: {@link Node} (make one with {@code Node.create(level, score, member, hash)}; read and write its lanes
 * with {@code forward(i)}, {@code forward(i, node)}, {@code span(i)} and {@code span(i, n)}, level {@code i + 1}), the list's fields, {@code lessThan} (the order)
 * and {@link #checkInvariants} (what the tests check after every change). What to build, in this order:
 * <ol>
 *   <li>{@link #randomLevel}: 1, then one more level with probability {@link #P} each time, at most
 *       {@link #MAX_LEVEL}. Redis draws {@code random() & 0xFFFF < P * 0xFFFF}.</li>
 *   <li>{@link #insert}: walk down from the header's highest level, remembering on each level the last node
 *       before the new one ({@code update[i]}) and how many bottom-lane steps it took to get there
 *       ({@code rank[i]}); then link the new node after each {@code update[i]} and split that pointer's span in
 *       two. Lanes above the new node's level jump over one more node. Set {@code backward}, {@code tail},
 *       {@code length}.</li>
 *   <li>{@link #delete} and {@link #updateScore} (which moves the node only when its neighbours say it must).</li>
 *   <li>{@link #rank} and {@link #nodeByRank}: add up the spans of the pointers you follow; O(log(N)).</li>
 *   <li>The range helpers the sorted set's ZRANGEBYSCORE, ZRANGEBYLEX and ZREMRANGEBY* are built on.</li>
 * </ol>
 * Tests: datastructures/src/test/java/io/port6379/datastructures/SkipListProperties.java (spans equal ranks
 * after any changes, levels follow the power law), then the sorted set's own tests, which run on your list.
 * The reference solution is datastructures/src/main/java/io/port6379/datastructures/SkipList.java.
 */
final class SkipList {

    static final int MAX_LEVEL = 32;
    /** Probability that a node on level i is also on level i+1, as {@code ZSKIPLIST_P}. */
    static final double P = 0.25;

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

    // Given: the list's state. The header is a node without member whose lanes start every level.
    private final Node header = Node.create(MAX_LEVEL, 0, null, 0);
    private Node tail;
    private int length;
    private int level = 1;

    /** This object and its nodes in heap bytes, for used_memory; 0 here: this list's memory is not counted. O(1). */
    long memoryUsage() {
        return 0;
    }

    int length() {
        throw new UnsupportedOperationException("exercise 07: length()");
    }

    Node first() {
        throw new UnsupportedOperationException("exercise 07: first()");
    }

    Node last() {
        throw new UnsupportedOperationException("exercise 07: last()");
    }

    /** The node after {@code node} in order, or null. O(1). */
    static Node next(Node node) {
        throw new UnsupportedOperationException("exercise 07: next()");
    }

    // Given: the order of the list, as zslInsert compares.
    /** Whether (score, member) sorts strictly before the node. */
    private static boolean lessThan(Node node, double score, byte[] member) {
        return node.score < score || (node.score == score && Arrays.compareUnsigned(node.key, member) < 0);
    }

    /** A level between 1 and 32, each further level with probability 1/4: a power law, as zslRandomLevel. */
    static int randomLevel() {
        throw new UnsupportedOperationException("exercise 07: randomLevel(): 1 + one level more with probability 1/4, at most 32");
    }

    /** Inserts a member that is not in the list yet. Expected O(log(N)). */

    Node insert(double score, byte[] member, int hash) {
        throw new UnsupportedOperationException("exercise 07: insert(): record update[] and rank[] on the way down, then link and split spans");
    }

    /** Removes {@code node}, which must be in the list. Expected O(log(N)). */
    void delete(Node node) {
        throw new UnsupportedOperationException("exercise 07: delete()");
    }

    /**
     * Changes a node's score, moving it only when its neighbours say it must move, as zslUpdateScore.
     * Returns the node now holding the member (the same one, or a new one). Expected O(log(N)).
     */
    Node updateScore(Node node, double newScore) {
        throw new UnsupportedOperationException("exercise 07: updateScore()");
    }

    /** The 1-based rank of the node with this score and member. O(log(N)). */
    int rank(double score, byte[] member) {
        throw new UnsupportedOperationException("exercise 07: rank(): the sum of the spans followed");
    }

    /** The node at a 1-based rank, or null when out of range. O(log(N)). */
    Node nodeByRank(long rank) {
        throw new UnsupportedOperationException("exercise 07: nodeByRank(): follow pointers while the spans add up to at most the rank");
    }

    /** The first node for which {@code before} is false (the list is partitioned by it), or null. O(log(N)). */
    Node firstNotBefore(Predicate<Node> before) {
        throw new UnsupportedOperationException("exercise 07: firstNotBefore()");
    }

    /** The last node for which {@code notAfter} is true (a prefix of the list), or null. O(log(N)). */
    Node lastNotAfter(Predicate<Node> notAfter) {
        throw new UnsupportedOperationException("exercise 07: lastNotAfter()");
    }

    // Given: the score searches of the range commands, on top of your firstNotBefore and lastNotAfter.
    /** The first node whose score is at least {@code min} (above it when {@code exclusive}), or null. O(log(N)). */
    Node firstByScore(double min, boolean exclusive) {
        return firstNotBefore(n -> n.score < min || exclusive && n.score == min);
    }

    /** The last node whose score is at most {@code max} (below it when {@code exclusive}), or null. O(log(N)). */
    Node lastByScore(double max, boolean exclusive) {
        return lastNotAfter(n -> n.score < max || !exclusive && n.score == max);
    }

    /**
     * Removes the run of nodes that starts at the first node for which {@code before} is false and continues
     * while {@code inRange} holds, calling {@code removed} for each. O(log(N)+M), M the number removed.
     */
    int deleteRange(Predicate<Node> before, Predicate<Node> inRange, Consumer<Node> removed) {
        throw new UnsupportedOperationException("exercise 07: deleteRange()");
    }

    /** Removes the nodes with 1-based ranks in [start, end]. O(log(N)+M). */
    int deleteRangeByRank(long start, long end, Consumer<Node> removed) {
        throw new UnsupportedOperationException("exercise 07: deleteRangeByRank()");
    }

    // Given: the tests call this after every change to check your spans, order, tail and length.
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
