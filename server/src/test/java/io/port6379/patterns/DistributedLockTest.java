// One holder at a time, the lease ends by itself, and a stale holder can never release somebody else's lock.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedLockTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void onlyOneClientHoldsTheLockUntilItIsReleased(String server) throws Exception {
        Jedis first = servers.fresh(server);
        Jedis second = servers.connect(server);
        DistributedLock a = new DistributedLock(first, "invoice-42", 10_000);
        DistributedLock b = new DistributedLock(second, "invoice-42", 10_000);
        String token = a.tryAcquire();
        assertNotNull(token);
        assertNull(b.tryAcquire());
        assertTrue(a.release(token));
        assertNotNull(b.tryAcquire());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void theLeaseEndsByItselfWhenTheHolderDisappears(String server) throws Exception {
        Jedis first = servers.fresh(server);
        Jedis second = servers.connect(server);
        assertNotNull(new DistributedLock(first, "job", 50).tryAcquire()); // and never released
        Thread.sleep(120);
        assertNotNull(new DistributedLock(second, "job", 10_000).tryAcquire());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aStaleHolderCannotReleaseTheNextHoldersLock(String server) throws Exception {
        Jedis first = servers.fresh(server);
        Jedis second = servers.connect(server);
        DistributedLock slow = new DistributedLock(first, "job", 50);
        String staleToken = slow.tryAcquire();
        Thread.sleep(120); // the slow client paused longer than its lease (a GC pause, a swapped-out VM)
        DistributedLock next = new DistributedLock(second, "job", 10_000);
        String token = next.tryAcquire();
        assertNotNull(token);
        assertFalse(slow.release(staleToken));
        assertEquals(token, second.get("lock:job"), "the new holder still has its lock");
        assertTrue(next.release(token));
    }

    // tag::takeover[]
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aTakeoverBetweenTheCheckAndTheDeleteIsNotDeleted(String server) throws Exception {
        Jedis first = servers.fresh(server);
        Jedis second = servers.connect(server);
        DistributedLock slow = new DistributedLock(first, "job", 10_000);
        String staleToken = slow.tryAcquire();
        // Right after our GET matched, our lease runs out and another client takes the lock: WATCH sees the write.
        boolean released = slow.release(staleToken,
                () -> second.set("lock:job", "other-token", SetParams.setParams().px(10_000)));
        assertFalse(released);
        assertEquals("other-token", second.get("lock:job"));
    }
    // end::takeover[]
}
