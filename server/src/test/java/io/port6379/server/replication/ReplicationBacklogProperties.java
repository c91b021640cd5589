// The law of the replication backlog: it holds exactly the newest repl-backlog-size bytes of the stream, by offset.
package io.port6379.server.replication;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model is the whole stream kept in one growing array: after any sequence of appends (shorter and longer than
 * the ring, wrapping at any point) and resizes, the backlog's offset is the stream's length plus the starting
 * offset, it holds the last {@code min(size, bytes seen since the last resize's kept tail)} bytes, a replica may
 * continue from exactly the offsets it holds (and the next one to come), and what it copies from any of them is
 * the stream's tail from there. A partial resync that sends a wrong byte corrupts a replica silently, so this is
 * checked on every offset, not a few.
 */
class ReplicationBacklogProperties {

    /** One step: an append of {@code bytes}, or a resize to {@code size} when {@code bytes} is null. */
    record Step(byte[] bytes, int size) {
    }

    @Property(tries = 300)
    void holdsTheNewestBytesOfTheStream(@ForAll @IntRange(min = 1, max = 64) int size,
                                        @ForAll @LongRange(min = 0, max = 1_000_000) long start,
                                        @ForAll("steps") List<Step> steps) {
        ReplicationBacklog backlog = new ReplicationBacklog(size, start);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int capacity = size;
        long heldFrom = start + 1; // the first offset the backlog can still hold
        for (Step step : steps) {
            if (step.bytes() == null) {
                backlog.resize(step.size());
                capacity = step.size();
            } else {
                int from = step.bytes().length > 2 ? 1 : 0; // appends from inside a larger array too
                backlog.add(step.bytes(), from, step.bytes().length - from);
                stream.write(step.bytes(), from, step.bytes().length - from);
            }
            byte[] all = stream.toByteArray();
            long offset = start + all.length;
            long held = Math.min(capacity, offset - heldFrom + 1);
            heldFrom = offset - held + 1;
            assertEquals(offset, backlog.offset(), "offset");
            assertEquals(held, backlog.histlen(), "histlen");
            assertEquals(heldFrom, backlog.firstByteOffset(), "first byte offset");
            assertEquals(capacity, backlog.size(), "size");
            assertFalse(backlog.holds(heldFrom - 1), "a byte no longer held");
            assertFalse(backlog.holds(offset + 2), "a byte not sent yet");
            for (long from = heldFrom; from <= offset + 1; from++) {
                assertTrue(backlog.holds(from), "offset " + from);
                byte[] expected = Arrays.copyOfRange(all, (int) (from - start - 1), all.length);
                assertArrayEquals(expected, backlog.copyFrom(from), "the tail from offset " + from);
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> append = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(150)
                .map(bytes -> new Step(bytes, 0));
        Arbitrary<Step> resize = Arbitraries.integers().between(1, 80).map(size -> new Step(null, size));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, append), net.jqwik.api.Tuple.of(1, resize))
                .list().ofMaxSize(30);
    }
}
