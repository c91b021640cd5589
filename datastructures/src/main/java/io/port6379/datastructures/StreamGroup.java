// A stream's consumer group: where it has read to, the entries delivered but not acknowledged, and its consumers.
package io.port6379.datastructures;

import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group, as Redis's {@code streamCG}: the last ID delivered to it, its logical read counter
 * ({@code entries_read}, -1 when unknown), and its pending entries list (PEL): every entry delivered to one of its
 * consumers and not yet acknowledged, with who holds it, when it was last delivered and how many times. Each
 * consumer keeps the part of the PEL it holds; both index the same {@link Pending} objects. Not thread-safe.
 */
public final class StreamGroup {

    /** An unacknowledged delivery (Redis's {@code streamNACK}). */
    public static final class Pending {
        public long deliveryTime;
        public long deliveryCount;
        public Consumer consumer;

        public Pending(long deliveryTime, long deliveryCount, Consumer consumer) {
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
            this.consumer = consumer;
        }
    }

    /** A consumer: its name, when it was last seen, and its part of the PEL. */
    public static final class Consumer {
        public final Bytes name;
        public long seenTime;
        public final TreeMap<StreamId, Pending> pending = new TreeMap<>();
        /**
         * Whether the read that last looked this consumer up created it (the {@code created} out-parameter of Redis's
         * {@code streamLookupConsumer}): propagation reads it right after that read, to record a consumer creation
         * only for a consumer that did not exist before.
         */
        public boolean justCreated;

        public Consumer(Bytes name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }
    }

    public StreamId lastId;
    /** The number of entries the group has read, -1 when it cannot be known (Redis's SCG_INVALID_ENTRIES_READ). */
    public long entriesRead;
    public final TreeMap<StreamId, Pending> pending = new TreeMap<>();
    public final TreeMap<Bytes, Consumer> consumers = new TreeMap<>();
    /**
     * The PEL entries the last XCLAIM or XAUTOCLAIM dropped because their stream entry was deleted, as they were:
     * Redis propagates each drop as an XCLAIM naming the former holder with its delivery time and count, which
     * propagation reads here after the command. Emptied at the start of each claim.
     */
    public final TreeMap<StreamId, Pending> dropped = new TreeMap<>();

    public StreamGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    /** The consumer {@code name}, or null. O(log consumers). */
    public Consumer consumer(Bytes name) {
        return consumers.get(name);
    }

    /** The consumer {@code name}, created (seen now) when absent. O(log consumers). */
    public Consumer consumerOrCreate(Bytes name, long now) {
        return consumers.computeIfAbsent(name, n -> new Consumer(n, now));
    }

    /** Removes the consumer and its pending entries; returns how many it held, or -1 when absent. */
    public long deleteConsumer(Bytes name) {
        Consumer consumer = consumers.remove(name);
        if (consumer == null) {
            return -1;
        }
        for (StreamId id : consumer.pending.keySet()) {
            pending.remove(id);
        }
        return consumer.pending.size();
    }

    /** Acknowledges {@code id}: true when it was pending. O(log PEL). */
    public boolean ack(StreamId id) {
        Pending nack = pending.remove(id);
        if (nack == null) {
            return false;
        }
        nack.consumer.pending.remove(id);
        return true;
    }

    /** A deep copy, with the consumers' PELs pointing into the copied group PEL. O(PEL + consumers). */
    StreamGroup copy() {
        StreamGroup copy = new StreamGroup(lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer cc = new Consumer(c.name, c.seenTime);
            copy.consumers.put(c.name, cc);
        }
        for (Map.Entry<StreamId, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            Consumer owner = copy.consumers.get(p.consumer.name);
            Pending pc = new Pending(p.deliveryTime, p.deliveryCount, owner);
            copy.pending.put(e.getKey(), pc);
            owner.pending.put(e.getKey(), pc);
        }
        return copy;
    }
}
