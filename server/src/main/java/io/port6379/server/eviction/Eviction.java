// maxmemory: Redis's performEvictions before each command, with its eight policies, the pool, and tenacity.
package io.port6379.server.eviction;

import io.port6379.datastructures.AccessTracking;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisValue;
import io.port6379.server.Client;
import io.port6379.server.Concerns;
import io.port6379.server.Databases;
import io.port6379.server.ServerContext;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.util.Log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Redis's {@code evict.c}. Before every command, while {@code maxmemory} is set, {@link #outOfMemory} compares the
 * bytes of the data ({@code used_memory}, which the keyspaces keep up to date as values change, so reading it
 * walks nothing) with the limit, and evicts keys until the data fits:
 *
 * <ul>
 * <li>{@code noeviction}: none; the dispatcher answers {@code -OOM} to commands that may grow memory.
 * <li>{@code allkeys-random}, {@code volatile-random}: a random key (with an expiry), one database after another.
 * <li>the LRU, LFU and TTL policies: the best candidate of the {@link EvictionPool}, which each round refills with
 *     {@code maxmemory-samples} random keys of every database.
 * </ul>
 *
 * <p>One command spends at most the time {@code maxmemory-eviction-tenacity} allows (500 µs at the default 10,
 * checked every 16 keys, as Redis); if memory is still over the limit then, the command runs anyway and the cron
 * goes on evicting (Redis's eviction time proc), so that one write of a huge value does not stall every client.
 * Each eviction counts in {@code evicted_keys}, touches WATCHed keys, notifies an {@code evicted} keyspace event
 * and is written to the append-only file as a DEL.
 */
public final class Eviction implements Concerns.Memory {

    private static final int EVICT_OK = 0;
    private static final int EVICT_RUNNING = 1;
    private static final int EVICT_FAIL = 2;

    private final ServerContext server;
    private final EvictionPool pool = new EvictionPool();
    private long maxmemory;
    private EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private int samples = 5;
    private long timeLimitNanos;
    /** Memory stayed over the limit when a command's time was up: the cron goes on (Redis's evictionTimeProc). */
    private boolean timeProcRunning;
    /** Where the random policies look first: the database after the last one evicted from. */
    private int nextDb;
    private boolean configured;

    private Eviction(ServerContext server) {
        this.server = server;
    }

    /** Plugs eviction into {@code server}: the memory concern, and the cron's share of the work. */
    public static Eviction install(ServerContext server) {
        Eviction eviction = new Eviction(server);
        server.memory(eviction);
        eviction.configure();
        server.addCronTask(eviction::cron);
        return eviction;
    }

    @Override
    public void configure() {
        ServerConfig config = server.config();
        long previousMax = maxmemory;
        EvictionPolicy previous = policy;
        maxmemory = config.number("maxmemory");
        policy = EvictionPolicy.named(config.get("maxmemory-policy"));
        samples = (int) config.number("maxmemory-samples");
        timeLimitNanos = timeLimitMicros((int) config.number("maxmemory-eviction-tenacity")) * 1000;
        AccessTracking tracking = server.databases().accessTracking();
        tracking.lfu(policy.order == EvictionPolicy.Order.LFU);
        tracking.lfuParameters((int) Math.min(Integer.MAX_VALUE, config.number("lfu-log-factor")),
                (int) Math.min(Integer.MAX_VALUE, config.number("lfu-decay-time")));
        if (policy != previous) {
            pool.clear(); // scores of another kind no longer compare
        }
        if (maxmemory != previousMax && maxmemory > 0) {
            long used = usedMemory();
            if (configured) {
                warnAboutHeap(); // at start-up, Main has checked already (and refuses what cannot fit)
            }
            if (used > maxmemory) {
                Log.log("#", "WARNING: the new maxmemory value set via CONFIG SET (" + maxmemory + ") is smaller than "
                        + "the current memory usage (" + used + "). This will result in key eviction and/or the "
                        + "inability to accept new write commands depending on the maxmemory-policy.");
            }
            timeProcRunning = used > maxmemory;
        }
        configured = true;
    }

    /** CONFIG SET maxmemory is accepted, as by Redis, but a value the heap cannot hold is logged. */
    private void warnAboutHeap() {
        try {
            String warning = HeapSizing.check(maxmemory, HeapSizing.heapMax());
            if (warning != null) {
                Log.log("#", warning);
            }
        } catch (IllegalArgumentException cannotFit) {
            Log.log("#", "WARNING " + cannotFit.getMessage());
        }
    }

    // tag::time-limit[]
    /** Redis's evictionTimeLimitUs: 50 µs per step up to 10, then 15 % more per step, unbounded at 100. */
    static long timeLimitMicros(int tenacity) {
        if (tenacity <= 10) {
            return 50L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE / 1000;
    }
    // end::time-limit[]

    @Override
    public boolean outOfMemory() {
        evictClients();
        return maxmemory > 0 && performEvictions() == EVICT_FAIL;
    }

    // tag::evict-clients[]
    /**
     * {@code maxmemory-clients}, as Redis 7.0's evictClients, before each command and at every cron round: while the
     * clients together hold at least the limit, the one holding the most is disconnected (Redis approximates "the
     * most" with buckets of powers of two; here the clients are sorted). CLIENT NO-EVICT clients and MONITORs stay.
     */
    private void evictClients() {
        long limit = clientEvictionLimit();
        if (limit == 0 || server.clientsMemory() < limit) {
            return;
        }
        List<Client> candidates = new ArrayList<>();
        for (Client client : server.clients()) {
            if (!client.noEvict() && !client.isMonitor() && !client.isClosing()) {
                candidates.add(client);
            }
        }
        candidates.sort(Comparator.comparingLong(Client::memoryUsage).reversed());
        for (Client client : candidates) {
            if (server.clientsMemory() < limit) {
                return;
            }
            Log.log("-", "Evicting client: " + client.describe(client));
            client.kill();
            server.clientMemoryChanged(client); // a closing client counts for nothing
            server.stats().evictedClients++;
        }
        Log.log("#", "Over client maxmemory after evicting all evictable clients");
    }

    /** The limit in bytes: a percentage of maxmemory when negative, and never below 128 KB (Redis's floor). */
    private long clientEvictionLimit() {
        long configured = server.config().number("maxmemory-clients");
        long limit = configured < 0 ? (long) (-configured * maxmemory / 100.0) : configured;
        return limit == 0 ? 0 : Math.max(limit, 128 * 1024);
    }
    // end::evict-clients[]

    // tag::used-memory[]
    /**
     * Redis's used_memory: the data, the clients' buffers ({@code mem_clients_normal}) and the append-only file's
     * buffer ({@code mem_aof_buffer}); the last is not counted against maxmemory ({@code mem_not_counted_for_evict}).
     */
    @Override
    public long usedMemory() {
        return server.databases().usedMemory() + server.clientsMemory() + notCountedForEvict();
    }

    /** What maxmemory is compared with: used_memory less the buffers that evicting keys would not shrink. */
    private long memoryForEviction() {
        return server.databases().usedMemory() + server.clientsMemory();
    }
    // end::used-memory[]

    @Override
    public long datasetMemory() {
        Databases databases = server.databases();
        return databases.usedMemory() - databases.overheadMemory();
    }

    @Override
    public long notCountedForEvict() {
        Concerns.Propagation aof = server.propagation(); // no replicas: their output buffers would be counted here too
        return aof == null ? 0 : aof.bufferedBytes();
    }

    /** The cron's turn while memory stayed over the limit after a command's time ran out. */
    private void cron() {
        evictClients();
        if (!timeProcRunning) {
            return;
        }
        server.executionLock().lock();
        try {
            performEvictions();
        } finally {
            server.executionLock().unlock();
        }
    }

    // tag::perform-evictions[]
    private int performEvictions() {
        if (server.writesPaused()) { // Redis's isSafeToPerformEvictions: no eviction during CLIENT PAUSE, and no OOM
            return EVICT_OK;
        }
        if (server.config().flag("replica-ignore-maxmemory") && !server.config().get("replicaof").isEmpty()) {
            return EVICT_OK; // a replica's data is its master's: it only deletes what the master's stream deletes
        }
        long toFree = memoryForEviction() - maxmemory;
        if (toFree <= 0) {
            timeProcRunning = false;
            return EVICT_OK;
        }
        if (policy == EvictionPolicy.NOEVICTION) {
            return EVICT_FAIL;
        }
        long start = System.nanoTime();
        long freed = 0;
        int keysFreed = 0;
        boolean lazyEviction = server.config().flag("lazyfree-lazy-eviction");
        while (freed < toFree) {
            Victim victim = policy.order == EvictionPolicy.Order.RANDOM ? randomVictim() : poolVictim();
            if (victim == null) {
                timeProcRunning = false;
                return EVICT_FAIL; // nothing left that the policy may evict
            }
            Keyspace keyspace = server.databases().get(victim.db);
            long before = keyspace.usedMemory();
            RedisValue value = lazyEviction ? keyspace.peek(Bytes.of(victim.key)) : null;
            if (keyspace.evict(victim.key, policy.volatileOnly)) {
                server.lazyFree().deleted(value, lazyEviction);
            }
            freed += before - keyspace.usedMemory();
            evicted(keyspace, victim);
            if (++keysFreed % 16 == 0) {
                if (memoryForEviction() <= maxmemory) {
                    break;
                }
                if (System.nanoTime() - start > timeLimitNanos) {
                    timeProcRunning = true; // the cron goes on; this command is not refused
                    return EVICT_RUNNING;
                }
            }
        }
        timeProcRunning = false;
        return EVICT_OK;
    }
    // end::perform-evictions[]

    private record Victim(int db, byte[] key) {
    }

    // tag::pool-victim[]
    /** Refills the pool from every database and takes its best candidate that still exists. */
    private Victim poolVictim() {
        Databases databases = server.databases();
        long now = server.clock().millis();
        AccessTracking tracking = databases.accessTracking();
        while (true) {
            long total = 0;
            for (int db = 0; db < databases.count(); db++) {
                Keyspace keyspace = databases.get(db);
                int keys = policy.volatileOnly ? keyspace.volatileCount() : keyspace.size();
                if (keys == 0) {
                    continue;
                }
                int dbIndex = db;
                keyspace.sample(policy.volatileOnly, samples, (key, bits, expireAt) ->
                        pool.offer(key, score(tracking, bits, expireAt, now), dbIndex));
                total += keys;
            }
            if (total == 0) {
                return null;
            }
            for (int k = pool.best(); k >= 0; k = pool.best()) {
                byte[] key = pool.key(k);
                int db = pool.db(k);
                pool.remove(k);
                if (databases.get(db).contains(key, policy.volatileOnly)) {
                    return new Victim(db, key);
                }
            }
        }
    }

    // end::pool-victim[]

    /** The higher, the better to evict: idle milliseconds, 255 less the LFU counter, or how soon it expires. */
    private long score(AccessTracking tracking, int bits, long expireAt, long now) {
        return switch (policy.order) {
            case LRU -> AccessTracking.idleMillis(bits, now);
            case LFU -> 255 - tracking.frequency(bits, now);
            default -> Long.MAX_VALUE - expireAt;
        };
    }

    /** A random key of the next database that has one (with an expiry, for volatile-random). */
    private Victim randomVictim() {
        Databases databases = server.databases();
        for (int i = 0; i < databases.count(); i++) {
            int db = ++nextDb % databases.count();
            nextDb = db;
            byte[] key = databases.get(db).randomCandidate(policy.volatileOnly);
            if (key != null) {
                return new Victim(db, key);
            }
        }
        return null;
    }

    /** What Redis does after deleting an evicted key: count, touch WATCH, notify, propagate a DEL. */
    private void evicted(Keyspace keyspace, Victim victim) {
        server.stats().evictedKeys++;
        Bytes key = Bytes.of(victim.key);
        server.keyspaceEvents().signalModifiedKey(null, victim.db, key); // by the server, as an expiry
        server.keyspaceEvents().notify(NotifyKeyspaceEvents.EVICTED, "evicted", key, victim.db);
        if (server.propagation() != null) {
            server.propagation().expired(keyspace, key);
        }
    }
}
