// Invariants of the skip list under random inserts, deletes and score updates: order, back links and spans.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SkipListProperties {

    record Step(int member, double score, boolean delete) {
    }

    // The law: after any sequence of changes the list is sorted, back links mirror forward links, every span
    // equals the distance it jumps, and rank/nodeByRank agree with the position of each node.
    @Property(tries = 200)
    void spansSumToRanksAfterAnyChanges(@ForAll("steps") List<Step> steps) {
        SkipList list = new SkipList();
        Map<Integer, SkipList.Node> nodes = new HashMap<>();
        for (Step step : steps) {
            SkipList.Node existing = nodes.get(step.member());
            if (step.delete()) {
                if (existing != null) {
                    list.delete(existing);
                    nodes.remove(step.member());
                }
            } else if (existing != null) {
                nodes.put(step.member(), list.updateScore(existing, step.score()));
            } else {
                byte[] member = Bytes.of("m" + step.member()).array();
                nodes.put(step.member(), list.insert(step.score(), member, Dict.hash(member)));
            }
            assertNull(list.checkInvariants(), () -> "after " + step);
        }
        assertEquals(nodes.size(), list.length());
        int rank = 1;
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n), rank++) {
            assertEquals(rank, list.rank(n.score, n.key));
            assertEquals(n, list.nodeByRank(rank));
        }
        assertNull(list.nodeByRank(rank));
        assertNull(list.nodeByRank(0));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 60),
                        Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
                        Arbitraries.integers().between(0, 4).map(i -> i == 0))
                .as(Step::new).list().ofMaxSize(300);
    }

    // The law of the level distribution: P(level > k) = (1/4)^k, the p = 1/4 of t_zset.c.
    @Example
    void levelsFollowAPowerLawWithPOneQuarter() {
        int draws = 200_000;
        int[] atLeast = new int[5];
        for (int i = 0; i < draws; i++) {
            int level = SkipList.randomLevel();
            assertTrue(level >= 1 && level <= SkipList.MAX_LEVEL);
            for (int k = 1; k < atLeast.length && k < level; k++) {
                atLeast[k]++;
            }
        }
        assertEquals(0.25, atLeast[1] / (double) draws, 0.01);
        assertEquals(0.0625, atLeast[2] / (double) draws, 0.005);
        assertEquals(0.015625, atLeast[3] / (double) draws, 0.002);
    }

    // Ranks stay right when one score is moved across many nodes (the relinking path of updateScore).
    @Example
    void updateScoreMovesNodesAndKeepsSpans() {
        SkipList list = new SkipList();
        List<SkipList.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] member = Bytes.of("m" + i).array();
            nodes.add(list.insert(i, member, Dict.hash(member)));
        }
        SkipList.Node moved = list.updateScore(nodes.get(0), 5000);
        assertEquals(1000, list.rank(moved.score, moved.key));
        SkipList.Node inPlace = list.updateScore(nodes.get(500), 500.5);
        assertEquals(nodes.get(500), inPlace, "a score change that keeps the order does not relink");
        assertNull(list.checkInvariants());
    }
}
