// SETBIT and BITFIELD change a writable string in place, and never bytes that were handed out.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WritableStringTest {

    private final Keyspace keyspace = new Keyspace(new FakeClock(0));
    private final Bytes key = Bytes.of("bits");

    private RedisString stored() {
        return keyspace.get(key, RedisString.class);
    }

    @Test
    void setbitOnAWritableStringChangesItInPlace() {
        Bitmaps.setBit(keyspace, key, 8000, 1);
        RedisString first = stored();
        assertTrue(first.isWritable());
        Bitmaps.setBit(keyspace, key, 7, 1);
        Bitmaps.bitfield(keyspace, key, List.of(new Bitmaps.FieldOp(Bitmaps.FieldOp.Kind.SET, false, 8, 16, 0xff, Bitmaps.Overflow.WRAP)));
        assertSame(first, stored());
        assertTrue(first.isWritable());
        assertTrue(Bitmaps.getBit(first.bytesToRead(), 7) == 1 && (first.bytesToRead()[2] & 0xff) == 0xff);
    }

    @Test
    void bytesHandedOutAreNeverChangedAfterwards() {
        Bitmaps.setBit(keyspace, key, 100, 1);
        byte[] got = stored().bytes(); // a GET, a DUMP, SORT ... STORE: whoever got them may keep them
        byte[] before = got.clone();
        Bitmaps.setBit(keyspace, key, 3, 1);
        assertArrayEquals(before, got);
        assertNotSame(got, stored().bytesToRead());
        assertTrue(stored().isWritable(), "the copy is writable again");
        assertTrue(Bitmaps.getBit(stored().bytesToRead(), 3) == 1);
    }

    @Test
    void aSharedStringIsCopiedBeforeTheNextWrite() {
        Bitmaps.setBit(keyspace, key, 100, 1);
        RedisString snapshotHolds = stored();
        snapshotHolds.share();
        byte[] before = snapshotHolds.bytesToRead().clone();
        Bitmaps.setBit(keyspace, key, 3, 1);
        assertFalse(snapshotHolds.isWritable());
        assertArrayEquals(before, snapshotHolds.bytesToRead());
        assertNotSame(snapshotHolds, stored());
    }

    @Test
    void aStringSetBySetIsCopiedAndGrownOnce() {
        keyspace.set(key, RedisString.of("abc"));
        Bitmaps.setBit(keyspace, key, 100, 1);
        assertTrue(stored().isWritable());
        assertTrue(stored().length() == 13 && stored().bytesToRead()[0] == 'a');
    }
}
