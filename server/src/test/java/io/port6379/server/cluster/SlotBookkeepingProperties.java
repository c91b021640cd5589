// The slot bitmap compared in place, and the slot index's memory as a running total, each against a plain model.
package io.port6379.server.cluster;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlotBookkeepingProperties {

    /** A node's own bitmap equals its bus bytes, and no longer does once any one slot of the bytes is flipped. */
    @Property(tries = 200)
    void sameSlotsIsEqualityOfTheBusBitmap(@ForAll @Size(max = 40) Set<@IntRange(max = 16383) Integer> served,
                                           @ForAll @IntRange(max = 16383) int flipped) {
        ClusterNode node = new ClusterNode("a".repeat(40), ClusterNode.MASTER, 0);
        served.forEach(node::setSlot);
        byte[] bitmap = node.slotBytes();
        assertEquals(true, node.sameSlots(bitmap));
        bitmap[flipped >>> 3] ^= (byte) (1 << (flipped & 7));
        assertEquals(false, node.sameSlots(bitmap));
        assertEquals(ClusterNode.hasSlot(bitmap, flipped), !node.hasSlot(flipped));
    }

    /**
     * The index's memory depends only on the keys it holds, not on the adds and deletes that led there: after any
     * sequence it equals that of a fresh index given the remaining keys once, and an emptied index costs what a new
     * one does.
     */
    @Property(tries = 200)
    void memoryIsARunningTotalOfTheKeysHeld(@ForAll("operations") List<String> operations) {
        SlotIndex index = new SlotIndex();
        long empty = index.memory();
        Set<String> held = new LinkedHashSet<>();
        for (String operation : operations) {
            String key = operation.substring(1);
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (operation.charAt(0) == '+') {
                if (held.add(key)) {
                    index.added(bytes);
                }
            } else if (held.remove(key)) {
                index.removed(bytes);
            }
        }
        SlotIndex fresh = new SlotIndex();
        held.forEach(key -> fresh.added(key.getBytes(StandardCharsets.UTF_8)));
        assertEquals(fresh.memory(), index.memory());
        held.forEach(key -> index.removed(key.getBytes(StandardCharsets.UTF_8)));
        assertEquals(empty, index.memory());
    }

    /** Adds and deletes of keys in few slots (hash tags {0} to {4}), so that sets grow past their first table. */
    @Provide
    Arbitrary<List<String>> operations() {
        Arbitrary<String> key = Arbitraries.integers().between(0, 4).flatMap(tag ->
                Arbitraries.integers().between(0, 60).map(n -> "{" + tag + "}" + n));
        return Arbitraries.of("+", "+", "-").flatMap(op -> key.map(k -> op + k)).list().ofMaxSize(400);
    }
}
