// The notify-keyspace-events letters: parsing and the canonical order CONFIG GET shows, as observed on redis-server 7.0.15.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceEventsTest {

    private static String canonical(String letters) {
        return KeyspaceEvents.format(KeyspaceEvents.parse(letters));
    }

    @Test
    void everyRedisLetterIsAcceptedAndAnyOtherRefused() {
        for (char c : "Ag$lshzxeKEtmdn".toCharArray()) {
            assertTrue(KeyspaceEvents.parse(String.valueOf(c)) > 0, "letter " + c);
        }
        assertEquals(-1, KeyspaceEvents.parse("KEq"));
        assertEquals(-1, KeyspaceEvents.parse("a"));
        assertEquals(0, KeyspaceEvents.parse(""));
    }

    @Test
    void classesAreListedInRedisOrderThenKThenEThenM() {
        assertEquals("g$ltdnKEm", canonical("nmdt$lgEK"));
        assertEquals("g$lE", canonical("El$g"));
        assertEquals("AKE", canonical("KEA"));
        assertEquals("AK", canonical("KA"));
        assertEquals("Am", canonical("Am"));
    }

    @Test
    void aStandsForEveryClassButKeyMissAndNew() {
        assertEquals("A", canonical("g$lshzxetd"));
        assertEquals("g$lshzxet", canonical("g$lshzxet"));
        assertEquals("A", canonical("An")); // Redis lists n only without A, although the flag stays on
        assertEquals(KeyspaceEvents.ALL | KeyspaceEvents.NEW, KeyspaceEvents.parse("An"));
    }
}
