// MULTI and EXEC while a script is busy: a command refused with BUSY dooms the transaction, EXEC is refused with EXECABORT.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's processCommand answers the commands that arrive while a script runs past {@code busy-reply-threshold}:
 * MULTI and DISCARD run ({@code allow_busy}), an unknown command or a wrong arity gets its usual error, anything
 * else BUSY. Each refusal inside MULTI flags the transaction, so that EXEC, once the script is gone, answers
 * EXECABORT instead of running half of it; an EXEC that arrives during the script is refused with
 * {@code EXECABORT ... BUSY} and ends the transaction, its watches included. Every reply is compared with Redis's.
 */
class BusyScriptTransactionTest {

    private static final String LOOP = "while true do end";

    @RegisterExtension
    static final BothServers servers = new BothServers("--busy-reply-threshold", "10");

    @Test
    void aCommandRefusedWhileBusyDoomsTheTransaction() throws Exception {
        List<String> redis = multiDuringBusy(servers.redis().port());
        assertEquals(redis, multiDuringBusy(servers.ours().port()));
        assertEquals(List.of("+OK\r\n", BUSY, "-ERR wrong number of arguments for 'get' command\r\n",
                "-ERR unknown command 'NOSUCH', with args beginning with: \r\n", "+QUEUED\r\n",
                "-EXECABORT Transaction discarded because of previous errors.\r\n", "$1\r\nx\r\n", "$1\r\n1\r\n"),
                withoutKill(redis));
    }

    @Test
    void execWhileBusyIsRefusedAndEndsTheTransaction() throws Exception {
        List<String> redis = execDuringBusy(servers.redis().port());
        assertEquals(redis, execDuringBusy(servers.ours().port()));
        String abort = "-EXECABORT Transaction discarded because of: " + BUSY.substring(1);
        assertEquals(List.of("+OK\r\n", "+OK\r\n", "+QUEUED\r\n", abort, abort, "-ERR DISCARD without MULTI\r\n",
                "+OK\r\n", "+OK\r\n", "$1\r\n1\r\n", "*1\r\n:6\r\n"), withoutKill(redis));
    }

    private static final String BUSY = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN"
            + " NOSAVE.\r\n";

    /** MULTI during the script; INCR refused (BUSY), GET with one argument too many, an unknown command; EXEC after it. */
    private static List<String> multiDuringBusy(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection looper = new RespConnection(port);
             RespConnection c = new RespConnection(port)) {
            admin.call("SET", "xx", "1");
            startBusyScript(admin, looper);
            replies.add(c.call("MULTI"));
            replies.add(c.call("INCR", "xx"));
            replies.add(c.call("GET", "xx", "extra"));
            replies.add(c.call("NOSUCH"));
            killScript(admin, looper, replies);
            replies.add(c.call("INCR", "xx"));
            replies.add(c.call("EXEC"));
            replies.add(c.call("PING", "x")); // out of MULTI
            replies.add(c.call("GET", "xx")); // nothing of the transaction ran
            admin.call("DEL", "xx");
        }
        return replies;
    }

    /**
     * WATCH and MULTI before the script; EXEC during it, in and out of MULTI, DISCARD, MULTI and DISCARD; after it,
     * a change to the key once watched no longer fails a transaction: the refused EXEC dropped the watch.
     */
    private static List<String> execDuringBusy(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection looper = new RespConnection(port);
             RespConnection c = new RespConnection(port)) {
            admin.call("SET", "xx", "1");
            replies.add(c.call("WATCH", "xx"));
            replies.add(c.call("MULTI"));
            replies.add(c.call("INCR", "xx"));
            startBusyScript(admin, looper);
            replies.add(c.call("EXEC"));
            replies.add(c.call("EXEC"));
            replies.add(c.call("DISCARD"));
            replies.add(c.call("MULTI"));
            replies.add(c.call("DISCARD"));
            killScript(admin, looper, replies);
            replies.add(c.call("GET", "xx"));
            admin.call("SET", "xx", "5");
            c.call("MULTI");
            c.call("INCR", "xx");
            replies.add(c.call("EXEC"));
            admin.call("DEL", "xx");
        }
        return replies;
    }

    /** Starts the endless script on {@code looper} and waits until {@code admin} is answered BUSY. */
    private static void startBusyScript(RespConnection admin, RespConnection looper) throws Exception {
        looper.send("EVAL", LOOP, "0");
        String reply = "";
        for (int i = 0; i < 1000 && !reply.startsWith("-BUSY"); i++) {
            Thread.sleep(10);
            reply = admin.call("PING");
        }
        assertTrue(reply.startsWith("-BUSY"), reply);
    }

    /** SCRIPT KILL, then the script's own reply, both kept with the replies (marked, so the checks can skip them). */
    private static void killScript(RespConnection admin, RespConnection looper, List<String> replies) throws Exception {
        replies.add("kill " + admin.call("SCRIPT", "KILL"));
        replies.add("kill " + looper.readReply());
    }

    private static List<String> withoutKill(List<String> replies) {
        return replies.stream().filter(reply -> !reply.startsWith("kill ")).toList();
    }
}
