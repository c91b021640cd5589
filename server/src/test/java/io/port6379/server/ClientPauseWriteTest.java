// CLIENT PAUSE WRITE holds back EXEC of a transaction that writes, and stops expiry and eviction, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Redis 7.0 treats as a write during a pause: an EXEC whose queue holds a write waits like the write itself
 * (one that only reads does not); a key whose time has passed reads as missing but stays, since deleting it is a
 * write; and maxmemory evicts nothing until the pause ends.
 */
class ClientPauseWriteTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void execOfATransactionThatWritesWaitsForThePause() throws Exception {
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                c.call("MULTI");
                c.call("GET", "k");
                admin.call("CLIENT", "PAUSE", "600", "WRITE");
                long start = System.nanoTime();
                assertEquals("*1\r\n$-1\r\n", c.call("EXEC"));
                assertTrue(System.nanoTime() - start < 300_000_000L, port + ": a read-only EXEC runs at once");
                c.call("MULTI");
                c.call("SET", "k", "v");
                c.call("EXEC");
                assertTrue(System.nanoTime() - start > 400_000_000L, port + ": EXEC with a SET waits");
                c.call("DEL", "k");
            }
        }
    }

    @Test
    void expiredKeysStayDuringThePauseButReadAsMissing() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("SET", "k", "v", "PX", "50");
                c.call("CLIENT", "PAUSE", "5000", "WRITE");
                Thread.sleep(300); // well past the expiry: neither a lookup nor the cycle may delete it now
                assertEquals("$-1\r\n", c.call("GET", "k"), "port " + port);
                assertEquals(":1\r\n", c.call("DBSIZE"), "port " + port);
                c.call("CLIENT", "UNPAUSE");
                assertEquals("$-1\r\n", c.call("GET", "k"), "port " + port);
                assertEquals(":0\r\n", c.call("DBSIZE"), "port " + port);
            }
        }
    }

    @Test
    void randomkeyAndScanKeepExpiredKeysDuringThePause() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("SET", "live", "v");
                for (int i = 0; i < 3; i++) {
                    c.call("SET", "gone:" + i, "v", "PX", "50");
                }
                c.call("CLIENT", "PAUSE", "5000", "WRITE");
                Thread.sleep(300);
                for (int i = 0; i < 10; i++) {
                    assertEquals("$4\r\nlive\r\n", c.call("RANDOMKEY"), "port " + port);
                }
                assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n", c.call("SCAN", "0", "COUNT", "100"), "port " + port);
                assertEquals(":4\r\n", c.call("DBSIZE"), "port " + port + ": nothing deleted");
                c.call("CLIENT", "UNPAUSE");
                assertEquals(":4\r\n", c.call("DBSIZE"), "port " + port);
                c.call("SCAN", "0", "COUNT", "100");
                assertEquals(":1\r\n", c.call("DBSIZE"), "port " + port + ": SCAN deletes them after the pause");
            }
        }
    }

    @Test
    void randomkeyAndScanKeepExpiredKeysDuringAPauseOfAllClients() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("SET", "live", "v");
                for (int i = 0; i < 3; i++) {
                    c.call("SET", "gone:" + i, "v", "PX", "50");
                }
                c.call("CLIENT", "PAUSE", "5000", "WRITE");
                Thread.sleep(300);
                c.call("MULTI"); // the transaction's commands run after its CLIENT PAUSE ALL, while every client is paused
                c.call("CLIENT", "PAUSE", "5000", "ALL");
                c.call("RANDOMKEY");
                c.call("RANDOMKEY");
                c.call("SCAN", "0", "COUNT", "100");
                c.call("DBSIZE");
                c.call("CLIENT", "UNPAUSE");
                assertEquals("*6\r\n+OK\r\n$4\r\nlive\r\n$4\r\nlive\r\n*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n"
                        + ":4\r\n+OK\r\n", c.call("EXEC"), "port " + port);
                c.call("SCAN", "0", "COUNT", "100");
                assertEquals(":1\r\n", c.call("DBSIZE"), "port " + port + ": SCAN deletes them after the pause");
            }
        }
    }

    @Test
    void evictionWaitsForThePauseToEnd() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
                c.call("CONFIG", "SET", "maxmemory-eviction-tenacity", "100"); // no time limit: all at once
                c.call("EVAL", "for i=1,2000 do redis.call('set','key:'..i, string.rep('x', 100)) end", "0");
                c.call("CLIENT", "PAUSE", "5000", "WRITE");
                c.call("CONFIG", "SET", "maxmemory", "1"); // far below: every key would go
                assertEquals(":2000\r\n", c.call("DBSIZE"), "port " + port);
                c.call("CLIENT", "UNPAUSE");
                c.call("DBSIZE"); // the first command after the pause evicts
                assertEquals(":0\r\n", c.call("DBSIZE"), "port " + port);
                c.call("CONFIG", "SET", "maxmemory", "0");
                c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                c.call("CONFIG", "SET", "maxmemory-eviction-tenacity", "10");
            }
        }
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
