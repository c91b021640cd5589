// List behaviours that the model property does not pin down: LMOVE across keys, LPOS errors, the encoding name.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.port6379.datastructures.RedisList.End;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisListTest {

    private final Keyspace keyspace = new Keyspace(new FakeClock(0));

    private static RedisList listOf(String... elements) {
        RedisList list = new RedisList();
        for (String e : elements) {
            list.pushRight(e.getBytes());
        }
        return list;
    }

    @Test
    void lmoveMovesBetweenKeysAndDeletesAnEmptiedSource() {
        keyspace.set(Bytes.of("src"), listOf("a"));
        assertArrayEquals("a".getBytes(), RedisList.move(keyspace, Bytes.of("src"), Bytes.of("dst"), End.LEFT, End.RIGHT));
        assertFalse(keyspace.exists(Bytes.of("src")));
        assertEquals(1, keyspace.get(Bytes.of("dst"), RedisList.class).size());
    }

    @Test
    void lmoveOnTheSameKeyRotates() {
        keyspace.set(Bytes.of("l"), listOf("a", "b", "c"));
        RedisList.move(keyspace, Bytes.of("l"), Bytes.of("l"), End.RIGHT, End.LEFT);
        assertEquals(List.of("c", "a", "b"),
                keyspace.get(Bytes.of("l"), RedisList.class).range(0, -1).stream().map(String::new).toList());
    }

    @Test
    void lmoveFromAMissingKeyReturnsNilAndToAnotherTypeMovesNothing() {
        assertNull(RedisList.move(keyspace, Bytes.of("none"), Bytes.of("dst"), End.LEFT, End.LEFT));
        keyspace.set(Bytes.of("src"), listOf("a"));
        keyspace.set(Bytes.of("str"), RedisString.of("x"));
        assertThrows(WrongTypeException.class,
                () -> RedisList.move(keyspace, Bytes.of("src"), Bytes.of("str"), End.LEFT, End.LEFT));
        assertEquals(1, keyspace.get(Bytes.of("src"), RedisList.class).size());
    }

    @Test
    void lposArgumentErrorsAreRedisTexts() {
        RedisList list = listOf("a");
        assertEquals("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                + "or use negative to start from the end of the list",
                assertThrows(RedisException.class, () -> list.positions("a".getBytes(), 0, 1, 0)).getMessage());
        assertEquals("ERR COUNT can't be negative",
                assertThrows(RedisException.class, () -> list.positions("a".getBytes(), 1, -1, 0)).getMessage());
        assertEquals("ERR MAXLEN can't be negative",
                assertThrows(RedisException.class, () -> list.positions("a".getBytes(), 1, 0, -1)).getMessage());
    }

    @Test
    void lposWithTheSmallestRankBehavesAsMinusOneLikeRedis() {
        RedisList list = listOf("a", "b", "c", "a", "b", "c", "a");
        assertEquals(List.of(6L), list.positions("a".getBytes(), Long.MIN_VALUE, 1, 0));
        assertEquals(List.of(6L, 3L, 0L), list.positions("a".getBytes(), -1, 0, 0));
        assertEquals(List.of(3L), list.positions("a".getBytes(), 2, 2, 5));
    }

    @Test
    void encodingIsQuicklistAsInRedis70() {
        assertEquals("quicklist", listOf("a").encoding());
        assertEquals("list", listOf().type());
    }

    @Test
    void manyPushesAndPopsKeepOrderAcrossGrowthAndShrinking() {
        RedisList list = new RedisList();
        for (int i = 0; i < 10_000; i++) {
            list.pushLeft(Integer.toString(i).getBytes());
        }
        for (int i = 0; i < 9_990; i++) {
            assertEquals(Integer.toString(i), new String(list.popRight()));
        }
        assertEquals(10, list.size());
        assertEquals("9999", new String(list.get(0)));
    }
}
