// Laws of the hash table: it behaves as a map, and its size stays within Redis's fill bounds as it grows and shrinks.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DictProperties {

    /**
     * Law: after adds (positive numbers) and removes (negative), the Dict holds exactly the model's keys, and its
     * capacity is a power of two with load factor at most 1 and, unless tiny, at least 1/8 full, once any
     * incremental resize has finished; and a resize always finishes.
     */
    @Property(tries = 300)
    void dictIsAMapWithinFillBounds(@ForAll @Size(max = 400) List<@IntRange(min = -200, max = 200) Integer> ops) {
        Dict dict = new Dict();
        Set<Integer> model = new HashSet<>();
        for (int op : ops) {
            byte[] key = Integer.toString(Math.abs(op)).getBytes();
            if (op >= 0) {
                if (dict.find(key) == null) {
                    dict.add(new Dict.Entry(key, Dict.hash(key), null));
                }
                model.add(op);
            } else {
                dict.remove(key, Dict.hash(key));
                model.remove(-op);
            }
            int capacity = dict.capacity();
            assertEquals(model.size(), dict.size());
            assertTrue(capacity == 0 || Integer.bitCount(capacity) == 1);
            if (!dict.isRehashing()) { // while rehashing, Redis (and we) neither grow nor shrink again
                assertTrue(dict.size() <= capacity || capacity == 0 && dict.size() == 0);
                assertTrue(capacity <= Dict.INITIAL_CAPACITY || dict.size() >= capacity / 8, "shrinks when sparse");
            }
        }
        // Every operation moves at least one bucket, so lookups alone finish a resize.
        for (int i = 0; i <= dict.capacity() * 2 && dict.isRehashing(); i++) {
            dict.find(new byte[] {'x'});
        }
        assertTrue(!dict.isRehashing());
        for (int k = 0; k <= 200; k++) {
            byte[] key = Integer.toString(k).getBytes();
            if (model.contains(k)) {
                assertNotNull(dict.find(key));
            } else {
                assertNull(dict.find(key));
            }
        }
    }
}
