// The order in which Redis's Lua 5.1 walks a table (lua_next), for libraries whose output shows it: cmsgpack's maps.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A map packed by {@code cmsgpack.pack} lists its entries in the order {@code lua_next} visits them, which in
 * Lua 5.1 ({@code ltable.c}) is the array part (keys 1..n) and then the hash part's nodes by index. That order is
 * deterministic for string, number and boolean keys (Lua 5.1 hashes strings without a random seed), so it is
 * rebuilt here by inserting the keys, one by one, into a model of {@code ltable.c}'s table: a node's main position
 * is the key's hash modulo the node count ({@code hashstr}, {@code hashnum}, {@code hashboolean}); a colliding key
 * takes the last free node ({@code getfreepos}), moving the node that was there if it is not in its own main
 * position; a full table is rehashed ({@code rehash}, {@code computesizes}) into sizes of powers of two, and its
 * nodes re-inserted from the last to the first.
 *
 * <p>Where keys collide, Lua 5.1's order depends on the table's history: the order the keys were inserted in,
 * and whether a constructor sized the table first ({@code {first='a', second='b'}} walks {@code second} first,
 * the same keys copied one by one into an empty table walk {@code first} first). LuaJ keeps neither (its tables
 * have their own layout), so the keys are inserted here in the order LuaJ walks them, into a table that starts
 * empty. Maps whose keys do not collide get Redis's order exactly whatever their history; others may pack their
 * entries in another order (and unpack the same). Keys of other types (tables, functions) are hashed by address
 * in C Lua, so no order is Redis's: those tables keep LuaJ's order.
 */
final class Lua51TableOrder {

    private static final int MAXBITS = 26;

    private LuaValue[] array = new LuaValue[0];
    private LuaValue[] keys = new LuaValue[0];
    private int[] next = new int[0];
    private int lastFree;

    private Lua51TableOrder() {
    }

    /** The table's {key, value} pairs in Lua 5.1's {@code lua_next} order: what cjson, cmsgpack and a reply show. */
    static List<LuaValue[]> entries(LuaTable table) {
        return order(rawEntries(table));
    }

    /** The table's {key, value} pairs in LuaJ's own order, for what does not depend on it. */
    static List<LuaValue[]> rawEntries(LuaTable table) {
        List<LuaValue[]> entries = new ArrayList<>();
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            if ((key = next.arg1()).isnil()) {
                return entries;
            }
            entries.add(new LuaValue[]{key, next.arg(2)});
        }
    }

    /** {@code entries} ({@code [key, value]} pairs) in Lua 5.1's {@code lua_next} order. */
    static List<LuaValue[]> order(List<LuaValue[]> entries) {
        Map<LuaValue, LuaValue> values = new HashMap<>();
        for (LuaValue[] entry : entries) {
            int type = entry[0].type();
            if (type != LuaValue.TSTRING && type != LuaValue.TNUMBER && type != LuaValue.TBOOLEAN) {
                return entries;
            }
            values.put(entry[0], entry[1]);
        }
        Lua51TableOrder table = new Lua51TableOrder();
        for (LuaValue[] entry : entries) {
            table.set(entry[0]);
        }
        List<LuaValue[]> ordered = new ArrayList<>(entries.size());
        for (LuaValue key : table.array) {
            if (key != null) {
                ordered.add(new LuaValue[]{key, values.get(key)});
            }
        }
        for (LuaValue key : table.keys) {
            if (key != null) {
                ordered.add(new LuaValue[]{key, values.get(key)});
            }
        }
        return ordered;
    }

    /** {@code luaH_set} of a new key. */
    private void set(LuaValue key) {
        int index = arrayIndex(key);
        if (index >= 1 && index <= array.length) {
            array[index - 1] = key;
            return;
        }
        newKey(key);
    }

    /** {@code newkey}: the key's main position, or a free node, or a rehash when there is none. */
    private void newKey(LuaValue key) {
        if (keys.length == 0) {
            rehash(key);
            set(key);
            return;
        }
        int mp = mainPosition(key);
        if (keys[mp] != null) {
            int free = freePosition();
            if (free < 0) {
                rehash(key);
                set(key);
                return;
            }
            int other = mainPosition(keys[mp]);
            if (other != mp) { // the colliding node is out of its main position: it moves to the free node
                while (next[other] != mp) {
                    other = next[other];
                }
                next[other] = free;
                keys[free] = keys[mp];
                next[free] = next[mp];
                next[mp] = -1;
                keys[mp] = null;
            } else { // the new key goes to the free node, chained after its main position
                next[free] = next[mp];
                next[mp] = free;
                mp = free;
            }
        }
        keys[mp] = key;
    }

    private int freePosition() {
        while (lastFree-- > 0) {
            if (keys[lastFree] == null) {
                return lastFree;
            }
        }
        return -1;
    }

    /** {@code rehash}: sizes for every key plus {@code extra}, then {@code luaH_resize}. */
    private void rehash(LuaValue extra) {
        int[] nums = new int[MAXBITS + 1];
        int integers = 0;
        int total = 0;
        for (LuaValue key : array) {
            if (key != null) {
                integers += countInteger(key, nums);
                total++;
            }
        }
        for (LuaValue key : keys) {
            if (key != null) {
                integers += countInteger(key, nums);
                total++;
            }
        }
        integers += countInteger(extra, nums);
        total++;
        int[] arraySize = {integers};
        int inArray = computeSizes(nums, arraySize);
        resize(arraySize[0], total - inArray);
    }

    /** {@code luaH_resize}: the array part grows or shrinks, the hash part is rebuilt, old nodes last to first. */
    private void resize(int arraySize, int hashSize) {
        LuaValue[] oldArray = array;
        LuaValue[] oldKeys = keys;
        array = new LuaValue[arraySize];
        System.arraycopy(oldArray, 0, array, 0, Math.min(arraySize, oldArray.length));
        int size = hashSize == 0 ? 0 : 1 << ceilLog2(hashSize);
        keys = new LuaValue[size];
        next = new int[size];
        java.util.Arrays.fill(next, -1);
        lastFree = size;
        for (int i = arraySize; i < oldArray.length; i++) {
            if (oldArray[i] != null) {
                set(oldArray[i]);
            }
        }
        for (int i = oldKeys.length - 1; i >= 0; i--) {
            if (oldKeys[i] != null) {
                set(oldKeys[i]);
            }
        }
    }

    /** {@code computesizes}: the largest power of two n such that more than n/2 of the slots 1..n are used. */
    private static int computeSizes(int[] nums, int[] arraySize) {
        int a = 0;
        int na = 0;
        int n = 0;
        for (int i = 0, twoToI = 1; twoToI / 2 < arraySize[0]; i++, twoToI *= 2) {
            if (nums[i] > 0) {
                a += nums[i];
                if (a > twoToI / 2) {
                    n = twoToI;
                    na = a;
                }
            }
            if (a == arraySize[0]) {
                break;
            }
        }
        arraySize[0] = n;
        return na;
    }

    private static int countInteger(LuaValue key, int[] nums) {
        int k = arrayIndex(key);
        if (k >= 1) {
            nums[ceilLog2(k)]++;
            return 1;
        }
        return 0;
    }

    /** The key as an index of the array part (a whole number from 1 to 2^26), or 0. */
    private static int arrayIndex(LuaValue key) {
        if (key.type() != LuaValue.TNUMBER) {
            return 0;
        }
        double d = key.todouble();
        int k = (int) d;
        return k == d && k >= 1 && k <= 1 << MAXBITS ? k : 0;
    }

    private static int ceilLog2(int x) {
        return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    /** {@code mainposition}. */
    private int mainPosition(LuaValue key) {
        int size = keys.length;
        return switch (key.type()) {
            case LuaValue.TSTRING -> stringHash(LuaConversion.bytes(key.checkstring())) & (size - 1);
            case LuaValue.TBOOLEAN -> (key.toboolean() ? 1 : 0) & (size - 1);
            default -> numberPosition(key.todouble(), size);
        };
    }

    /** {@code hashnum}: the two 32-bit halves of the double added, modulo (size - 1) | 1, as unsigned ints. */
    private static int numberPosition(double n, int size) {
        if (n == 0) {
            return 0;
        }
        long bits = Double.doubleToRawLongBits(n);
        int sum = (int) bits + (int) (bits >>> 32);
        return (int) (Integer.toUnsignedLong(sum) % ((size - 1) | 1));
    }

    /**
     * Redis's {@code luaS_newlstr} hash: seeded with the length, every character from the last. Lua 5.1 samples at
     * most 32 characters of a longer string ({@code step = (l >> 5) + 1}); Redis's copy hashes them all
     * ({@code step = 1}), so that strings that differ only between the samples do not all collide.
     */
    static int stringHash(byte[] s) {
        int h = s.length;
        for (int l1 = s.length; l1 >= 1; l1--) {
            h = h ^ ((h << 5) + (h >>> 2) + (s[l1 - 1] & 0xff));
        }
        return h;
    }
}
