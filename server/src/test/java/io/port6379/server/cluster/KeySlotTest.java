// KeySlot against the values Redis's crc16.c and CLUSTER KEYSLOT give.
package io.port6379.server.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeySlotTest {

    private static int slot(String key) {
        return KeySlot.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crc16OfTheCheckStringIsXmodemsCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, KeySlot.crc16(check, 0, check.length));
    }

    @Test
    void slotsAreThoseRedisGives() {
        assertEquals(15495, slot("a"));
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(0, slot(""));
    }

    @Test
    void aHashTagIsHashedAlone() {
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("user1000"), slot("foo{user1000}{bar}"));
        assertEquals(3443, slot("{user1000}.following"));
        assertEquals(4015, slot("foo{{bar}}zap")); // the tag is "{bar", from the first { to the first } after it
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        assertEquals(KeySlot.crc16("{}bar".getBytes(StandardCharsets.US_ASCII), 0, 5) & 16383, slot("{}bar"));
    }
}
