// CLIENT PAUSE WRITE holds back what may write (scripts, transactions, PUBLISH) and stops expiry and eviction, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Redis 7.0 treats as a write during a pause: a command flagged {@code write} or {@code may_replicate}
 * (PFCOUNT, PUBLISH, SPUBLISH, and EVAL, EVALSHA and FCALL unless their script declares {@code no-writes}); an
 * EXEC whose queue holds one waits like the command itself (one that only reads does not); a held-back client counts
 * in {@code blocked_clients}; a key whose time has passed reads as missing but stays, since deleting it is a write;
 * and maxmemory evicts nothing until the pause ends.
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
                oneLiveKeyAndThreeExpiredDuringAPause(c);
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
                oneLiveKeyAndThreeExpiredDuringAPause(c);
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

    @Test
    void aHeldBackClientCountsAsBlockedAndShowsItsCommand() throws Exception {
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                c.call("CLIENT", "SETNAME", "held");
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                try {
                    c.send("SET", "k", "v");
                    awaitBlockedClients(admin, 1);
                    assertTrue(admin.call("INFO", "clients").contains("clients_in_timeout_table:0\r\n"), "port " + port);
                    String line = clientLine(admin, "held");
                    assertTrue(line.contains(" flags=b ") && line.contains(" cmd=set "), port + ": " + line);
                } finally {
                    admin.call("CLIENT", "UNPAUSE");
                }
                assertEquals("+OK\r\n", c.readReply(), "port " + port);
                awaitBlockedClients(admin, 0);
                assertTrue(clientLine(admin, "held").contains(" flags=N "), "port " + port);
                admin.call("DEL", "k");
            }
        }
    }

    @Test
    void commandsThatMayReplicateWaitForThePause() throws Exception {
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port); RespConnection pfcount = new RespConnection(port);
                 RespConnection publish = new RespConnection(port); RespConnection spublish = new RespConnection(port)) {
                admin.call("PFADD", "hll", "a");
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                try {
                    pfcount.send("PFCOUNT", "hll"); // it may convert the sketch's encoding, and that replicates
                    publish.send("PUBLISH", "ch", "m");
                    spublish.send("SPUBLISH", "ch", "m");
                    awaitBlockedClients(admin, 3);
                    assertEquals("$-1\r\n", admin.call("GET", "missing"), port + ": a read runs");
                } finally {
                    admin.call("CLIENT", "UNPAUSE");
                }
                assertEquals(":1\r\n", pfcount.readReply(), "port " + port);
                assertEquals(":0\r\n", publish.readReply(), "port " + port);
                assertEquals(":0\r\n", spublish.readReply(), "port " + port);
                admin.call("DEL", "hll");
            }
        }
    }

    @Test
    void scriptsThatMayWriteWaitForThePause() throws Exception {
        String[][] calls = {
            {"EVAL", "return 1", "0"}, // no shebang: EVAL's own flags, may_replicate
            {"EVAL", "#!lua\nreturn 1", "0"}, // a shebang without no-writes: a write
            {"EVAL", "#!lua flags=bogus\nreturn 1", "0"}, // a bad shebang: EVAL's own flags
            {"EVALSHA", "0123456789012345678901234567890123456789", "0"}, // not cached: EVALSHA's own flags
            {"FCALL", "rw", "0"},
            {"FCALL", "nosuch", "0"},
            {"FCALL_RO", "rw", "0"}, // the function's flags say write: held back, then refused
            {"EVAL_RO", "#!lua\nreturn 1", "0"},
        };
        String[] replies = {":1\r\n", ":1\r\n", "-ERR Unexpected flag in script shebang: bogus\r\n",
            "-NOSCRIPT No matching script. Please use EVAL.\r\n", "$2\r\nrw\r\n", "-ERR Function not found\r\n",
            "-ERR Can not execute a script with write flag using *_ro command.\r\n",
            "-ERR Can not execute a script with write flag using *_ro command.\r\n"};
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port)) {
                loadFunctions(admin);
                RespConnection[] clients = new RespConnection[calls.length];
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                try {
                    for (int i = 0; i < calls.length; i++) {
                        clients[i] = new RespConnection(port);
                        clients[i].send(calls[i]);
                    }
                    awaitBlockedClients(admin, calls.length);
                } finally {
                    admin.call("CLIENT", "UNPAUSE");
                }
                for (int i = 0; i < calls.length; i++) {
                    assertEquals(replies[i], clients[i].readReply(), port + ": " + String.join(" ", calls[i]));
                    clients[i].close();
                }
                admin.call("FUNCTION", "FLUSH");
            }
        }
    }

    @Test
    void scriptsThatCannotWriteRunDuringThePause() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                loadFunctions(c);
                c.call("SET", "x", "y");
                String sha = (String) c.callParsed("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 2");
                c.timeout(20_000); // a held-back call would wait for the whole minute's pause
                c.call("CLIENT", "PAUSE", "60000", "WRITE");
                try {
                    assertEquals("$1\r\na\r\n", c.call("EVAL", "#!lua flags=no-writes\nreturn 'a'", "0"), "port " + port);
                    assertEquals("$1\r\ny\r\n", c.call("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "x"),
                            "port " + port);
                    assertEquals(":2\r\n", c.call("EVALSHA", sha, "0"), "port " + port);
                    assertEquals("$2\r\nro\r\n", c.call("FCALL", "ro", "0"), "port " + port);
                    assertEquals("$2\r\nro\r\n", c.call("FCALL_RO", "ro", "0"), "port " + port);
                    c.call("MULTI");
                    c.call("EVAL", "#!lua flags=no-writes\nreturn 12", "0");
                    c.call("FCALL", "ro", "0");
                    assertEquals("*2\r\n:12\r\n$2\r\nro\r\n", c.call("EXEC"), "port " + port);
                    assertTrue(c.call("INFO", "clients").contains("blocked_clients:0\r\n"), "port " + port);
                } finally {
                    c.call("CLIENT", "UNPAUSE");
                }
                c.call("FUNCTION", "FLUSH");
                c.call("SCRIPT", "FLUSH");
                c.call("DEL", "x");
            }
        }
    }

    @Test
    void execWaitsWhenItsTransactionMayWrite() throws Exception {
        String[][] queued = {{"EVAL", "#!lua\nreturn 12", "0"}, {"EVAL", "return 13", "0"}, {"SET", "k", "v"},
            {"PUBLISH", "ch", "m"}};
        String[] replies = {"*1\r\n:12\r\n", "*1\r\n:13\r\n", "*1\r\n+OK\r\n", "*1\r\n:0\r\n"};
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port)) {
                RespConnection[] clients = new RespConnection[queued.length];
                for (int i = 0; i < queued.length; i++) {
                    clients[i] = new RespConnection(port);
                    clients[i].call("MULTI");
                    assertEquals("+QUEUED\r\n", clients[i].call(queued[i]), "port " + port);
                }
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                try {
                    for (RespConnection client : clients) {
                        client.send("EXEC");
                    }
                    awaitBlockedClients(admin, queued.length);
                } finally {
                    admin.call("CLIENT", "UNPAUSE");
                }
                for (int i = 0; i < queued.length; i++) {
                    assertEquals(replies[i], clients[i].readReply(), port + ": " + String.join(" ", queued[i]));
                    clients[i].close();
                }
                admin.call("DEL", "k");
            }
        }
    }

    @Test
    void readOnlyScriptsMayNotCallCommandsThatMayReplicate() throws Exception {
        String[][] calls = {
            {"EVAL_RO", "return redis.call('publish', 'ch', 'msg')", "0"},
            {"EVAL", "#!lua flags=no-writes\nreturn redis.call('publish', 'ch', 'msg')", "0"},
            {"EVAL", "#!lua flags=no-writes\nreturn redis.call('pfcount', 'hll')", "0"},
            {"EVAL", "return redis.call('publish', 'ch', 'msg')", "0"},
        };
        java.util.List<java.util.List<String>> replies = new java.util.ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                java.util.List<String> these = new java.util.ArrayList<>();
                for (String[] call : calls) {
                    these.add(c.call(call));
                }
                replies.add(these);
            }
        }
        assertTrue(replies.get(0).get(0).startsWith("-ERR Write commands are not allowed from read-only scripts."),
                replies.get(0).get(0));
        assertEquals(":0\r\n", replies.get(0).get(3));
        assertEquals(replies.get(0), replies.get(1));
    }

    /** A library with a function that may write ({@code rw}) and one declared {@code no-writes} ({@code ro}). */
    private static void loadFunctions(RespConnection c) throws Exception {
        assertEquals("$3\r\nlib\r\n", c.call("FUNCTION", "LOAD", "REPLACE", """
                #!lua name=lib
                redis.register_function('rw', function() return 'rw' end)
                redis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}
                """));
    }

    /** Waits until INFO counts {@code n} blocked clients, as the suite's {@code wait_for_blocked_clients_count}. */
    private static void awaitBlockedClients(RespConnection admin, int n) throws Exception {
        String info = "";
        for (int i = 0; i < 2000 && !info.contains("blocked_clients:" + n + "\r\n"); i++) {
            Thread.sleep(i == 0 ? 0 : 10);
            info = admin.call("INFO", "clients");
        }
        assertTrue(info.contains("blocked_clients:" + n + "\r\n"), info);
    }

    /** The CLIENT LIST line of the client named {@code name}. */
    private static String clientLine(RespConnection admin, String name) throws Exception {
        for (String line : admin.call("CLIENT", "LIST").split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                return line;
            }
        }
        throw new AssertionError("no client named " + name);
    }

    /**
     * One key that lives and three whose time passed while writes were paused, so that none was deleted: the pause
     * starts at the end of the transaction that sets them, before anything can expire.
     */
    private static void oneLiveKeyAndThreeExpiredDuringAPause(RespConnection c) throws Exception {
        c.call("FLUSHALL");
        c.call("MULTI");
        c.call("SET", "live", "v");
        for (int i = 0; i < 3; i++) {
            c.call("SET", "gone:" + i, "v", "PX", "50");
        }
        c.call("CLIENT", "PAUSE", "5000", "WRITE");
        assertEquals("*5\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n", c.call("EXEC"));
        Thread.sleep(300);
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
