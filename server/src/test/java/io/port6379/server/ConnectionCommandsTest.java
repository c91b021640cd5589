// Connection and CLIENT commands: per-connection state, HELLO, SELECT, names, killing, RESET.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static io.port6379.server.CommandRunner.NIL;
import static io.port6379.server.CommandRunner.OK;
import static io.port6379.server.CommandRunner.bulk;
import static io.port6379.server.CommandRunner.error;
import static io.port6379.server.CommandRunner.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionCommandsTest {

    private final CommandRunner redis = new CommandRunner();

    @Test
    void selectGivesEachDatabaseItsOwnKeys() {
        redis.run("SET", "k", "zero");
        assertEquals(OK, redis.run("SELECT", "15"));
        assertEquals(NIL, redis.run("GET", "k"));
        redis.run("SET", "k", "fifteen");
        redis.run("SELECT", "0");
        assertEquals(bulk("zero"), redis.run("GET", "k"));
        assertEquals(error("ERR DB index is out of range"), redis.run("SELECT", "16"));
    }

    @Test
    void databasesConfigurationSetsTheirNumber() {
        CommandRunner four = new CommandRunner("--databases", "4");
        assertEquals(OK, four.run("SELECT", "3"));
        assertEquals(error("ERR DB index is out of range"), four.run("SELECT", "4"));
    }

    @Test
    void swapdbSwapsForEveryClientAtOnce() {
        Client other = redis.newClient();
        redis.runAs(other, "SELECT", "1");
        redis.run("SET", "k", "from0");
        assertEquals(OK, redis.run("SWAPDB", "0", "1"));
        assertEquals(bulk("from0"), redis.runAs(other, "GET", "k"));
        assertEquals(NIL, redis.run("GET", "k"));
    }

    @Test
    void hello3SwitchesToResp3AndAnswersAMap() {
        String reply = redis.run("HELLO", "3", "SETNAME", "app");
        assertTrue(reply.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"), reply);
        assertEquals(3, redis.client.respVersion());
        assertEquals(bulk("app"), redis.run("CLIENT", "GETNAME"));
        assertTrue(redis.run("HELLO", "2").startsWith("*14\r\n"));
    }

    @Test
    void helloAuthChecksRequirepass() {
        CommandRunner secured = new CommandRunner("--requirepass", "s3cret");
        assertEquals(error("WRONGPASS invalid username-password pair or user is disabled."),
                secured.run("HELLO", "2", "AUTH", "default", "wrong"));
        assertTrue(secured.run("HELLO", "2", "AUTH", "default", "s3cret").startsWith("*14\r\n"));
        assertTrue(secured.client.authenticated());
    }

    @Test
    void clientNamesAreCheckedAndShownInClientList() {
        assertEquals(NIL, redis.run("CLIENT", "GETNAME"));
        assertEquals(error("ERR Client names cannot contain spaces, newlines or special characters."),
                redis.run("CLIENT", "SETNAME", "a b"));
        assertEquals(OK, redis.run("CLIENT", "SETNAME", "worker-1"));
        String list = redis.run("CLIENT", "LIST");
        assertTrue(list.contains(" name=worker-1 "), list);
        assertTrue(list.contains(" cmd=client|list "), list);
        assertEquals(integer(redis.client.id()), redis.run("CLIENT", "ID"));
    }

    @Test
    void clientKillClosesTheOtherConnectionAndSkipsItselfByDefault() {
        AtomicBoolean closed = new AtomicBoolean();
        Client victim = new Client(redis.server.nextClientId(), redis.server, new Client.Channel() {
            @Override
            public void push(byte[] frame) {
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }, "127.0.0.1:4444", "127.0.0.1:6379");
        redis.server.register(victim);
        assertEquals(integer(1), redis.run("CLIENT", "KILL", "ADDR", "127.0.0.1:4444"));
        assertTrue(closed.get());
        assertEquals(integer(0), redis.run("CLIENT", "KILL", "ID", String.valueOf(redis.client.id())));
        assertFalse(redis.client.isClosing());
        assertEquals(integer(1), redis.run("CLIENT", "KILL", "ID", String.valueOf(redis.client.id()), "SKIPME", "no"));
        assertTrue(redis.client.isClosing());
    }

    @Test
    void resetRestoresANewConnectionsState() {
        redis.run("HELLO", "3", "SETNAME", "x");
        redis.run("SELECT", "2");
        redis.run("CLIENT", "NO-EVICT", "ON");
        assertEquals("+RESET\r\n", redis.run("RESET"));
        assertEquals(2, redis.client.respVersion());
        assertEquals(0, redis.client.dbIndex());
        assertEquals("", redis.client.name());
        assertFalse(redis.client.noEvict());
    }

    @Test
    void quitRepliesOkThenCloses() {
        assertEquals(OK, redis.run("QUIT"));
        assertTrue(redis.client.isClosing());
    }
}
