// The notify-keyspace-events letters: parsing and the canonical order CONFIG GET shows, as observed on redis-server 7.0.15.
package io.port6379.server;

import io.port6379.server.config.NotifyKeyspaceEvents;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceEventsTest {

    private static String canonical(String letters) {
        return NotifyKeyspaceEvents.format(NotifyKeyspaceEvents.parse(letters));
    }

    @Test
    void everyRedisLetterIsAcceptedAndAnyOtherRefused() {
        for (char c : "Ag$lshzxeKEtmdn".toCharArray()) {
            assertTrue(NotifyKeyspaceEvents.parse(String.valueOf(c)) > 0, "letter " + c);
        }
        assertEquals(-1, NotifyKeyspaceEvents.parse("KEq"));
        assertEquals(-1, NotifyKeyspaceEvents.parse("a"));
        assertEquals(0, NotifyKeyspaceEvents.parse(""));
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
        assertEquals(NotifyKeyspaceEvents.ALL | NotifyKeyspaceEvents.NEW, NotifyKeyspaceEvents.parse("An"));
    }
}
