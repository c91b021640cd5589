// Attacks on the scripting sandbox: each escape or exhaustion attempt ends in an error reply, and the server serves on.
package io.port6379.server.scripting;

import io.port6379.server.TestServer;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a script could try against the server it runs in, grouped as the chapter tells it: reach the machine
 * (files, processes, Java classes), reach the interpreter (bytecode, the debug library, function environments),
 * leave a trap for the next script (globals, library tables, the strings' metatable), and exhaust the server
 * (recursion, memory, time). Each attack must end in an error reply that names the reason, and after each a
 * second client must still get PONG. Redis 7.0.15 itself crashes on one of them ({@code error({})}); ours answers.
 */
class ScriptSandboxTest {

    private static TestServer server;
    private static RespConnection attacker;
    private static RespConnection bystander;

    /** An attack and a part of the error it must end in. */
    record Attack(String name, String script, String error) {
    }

    private static final List<Attack> ATTACKS = List.of(
            // the machine: files, processes, Java classes
            new Attack("os.execute", "return os.execute('id')", "nonexistent global variable 'os'"),
            new Attack("io.open", "return io.open('/etc/passwd'):read('*a')", "nonexistent global variable 'io'"),
            new Attack("require", "return require('os')", "nonexistent global variable 'require'"),
            new Attack("package.loadlib", "return package.loadlib('libc.so.6', 'system')", "nonexistent global variable 'package'"),
            new Attack("dofile", "return dofile('/etc/passwd')", "nonexistent global variable 'dofile'"),
            new Attack("loadfile", "return loadfile('/etc/passwd')", "nonexistent global variable 'loadfile'"),
            new Attack("luajava.bindClass", "return luajava.bindClass('java.lang.Runtime')", "nonexistent global variable 'luajava'"),
            new Attack("a Java method on a string", "return ('x'):getClass()", "attempt to call method 'getClass' (a nil value)"),
            new Attack("a Java field on a table", "return ({}).class.forName('java.lang.Runtime')", "attempt to index"),
            new Attack("print to the server's output", "print('x')", "nonexistent global variable 'print'"),
            // the interpreter: bytecode, debug, environments, coroutines
            new Attack("string.dump", "return string.dump(function() end)", "attempt to call field 'dump' (a nil value)"),
            new Attack("loadstring of bytecode", "return assert(loadstring(string.char(27) .. 'LuaQ'))",
                    "unexpected symbol near 'char(27)'"),
            new Attack("load of bytecode", "return assert(load(string.char(27) .. 'Lua'))", "function expected, got string"),
            new Attack("load of bytecode from a reader",
                    "local done; return assert(load(function() if not done then done = true; return string.char(27) .. 'LuaQ' end end))",
                    "unexpected symbol near 'char(27)'"),
            new Attack("debug.getregistry", "return debug.getregistry()", "nonexistent global variable 'debug'"),
            new Attack("debug.sethook", "debug.sethook()", "nonexistent global variable 'debug'"),
            new Attack("setfenv", "setfenv(1, {})", "nonexistent global variable 'setfenv'"),
            new Attack("getfenv", "return getfenv(0)", "nonexistent global variable 'getfenv'"),
            new Attack("coroutine.create", "return coroutine.create(function() end)", "nonexistent global variable 'coroutine'"),
            new Attack("an error object that crashes Redis 7.0.15", "error({})", "error object is not a string"),
            // traps for the next script: globals, libraries, metatables
            new Attack("a new global", "backdoor = function() end", "Attempt to modify a readonly table"),
            new Attack("rawset on _G", "rawset(_G, 'redis', {})", "Attempt to modify a readonly table"),
            new Attack("setmetatable on _G", "setmetatable(_G, nil)", "Attempt to modify a readonly table"),
            new Attack("replace redis.call", "redis.call = function() return 'fake' end", "Attempt to modify a readonly table"),
            new Attack("replace string.format", "string.format = nil", "Attempt to modify a readonly table"),
            new Attack("the strings' metatable", "getmetatable('').__index = {}", "Attempt to modify a readonly table"),
            new Attack("the string table through a string", "getmetatable('').__index.rep = nil", "Attempt to modify a readonly table"),
            new Attack("table.insert into a library", "table.insert(math, 1)", "Attempt to modify a readonly table"),
            new Attack("cjson's null", "cjson.null = 1", "Attempt to modify a readonly table"),
            // exhaustion: recursion, memory, formats
            new Attack("deep recursion", "local function f() return 1 + f() end return f()", "stack overflow"),
            new Attack("recursion through __index",
                    "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end return t.x",
                    "stack overflow"),
            new Attack("huge string.rep", "return string.rep('x', 2^40)", "not enough memory"),
            new Attack("string.rep past 2 GB", "return #string.rep('abcd', 2^30)", "not enough memory"),
            new Attack("a huge format width", "return string.format('%999999999d', 1)", "invalid format"),
            new Attack("a table bomb", "local t = {} local s = string.rep('x', 1000000) "
                    + "for i = 1, 1e9 do t[i] = s .. i end return #t", "not enough memory"),
            new Attack("a string that doubles", "local s = 'x' while true do s = s .. s end", "not enough memory"));

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--busy-reply-threshold", "200");
        attacker = new RespConnection(server.port());
        bystander = new RespConnection(server.port());
    }

    @AfterAll
    static void stop() throws IOException {
        bystander.call("SCRIPT", "KILL"); // a loop left by a failed test would hold the lock at shutdown
        attacker.close();
        bystander.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyAttackEndsInAnErrorAndTheServerServesOn() {
        return ATTACKS.stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            String reply = attacker.call("EVAL", attack.script(), "0");
            assertTrue(reply.startsWith("-"), attack.name() + ": " + reply);
            assertTrue(reply.contains(attack.error()), attack.name() + ": " + reply);
            assertEquals("+PONG\r\n", bystander.call("PING"));
            assertEquals("+PONG\r\n", attacker.call("PING"));
        }));
    }

    @Test
    void anInfiniteLoopMakesOthersBusyAndScriptKillEndsIt() throws Exception {
        assertLoopKilled("while true do end");
    }

    @Test
    void pcallCannotCatchScriptKill() throws Exception {
        assertLoopKilled("while true do pcall(function() while true do end end) end");
    }

    private static void assertLoopKilled(String loop) throws Exception {
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return attacker.call("EVAL", loop, "0");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String ping;
        do {
            ping = bystander.call("PING"); // waits for the lock until the script is busy, then is answered BUSY
        } while (ping.equals("+PONG\r\n") && !result.isDone());
        assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n", ping);
        assertEquals("+OK\r\n", bystander.call("SCRIPT", "KILL"));
        String killed = result.get(10, TimeUnit.SECONDS);
        assertTrue(killed.startsWith("-ERR Script killed by user with SCRIPT KILL... script: "), killed);
        assertEquals("+PONG\r\n", bystander.call("PING"));
        assertEquals("-NOTBUSY No scripts in execution right now.\r\n", bystander.call("SCRIPT", "KILL"));
    }

    @Test
    void aBusyFunctionIsKilledByFunctionKillNotScriptKillAndFunctionStatsShowsIt() throws Exception {
        assertEquals("$4\r\nspin\r\n", attacker.call("FUNCTION", "LOAD", "REPLACE",
                "#!lua name=spin\nredis.register_function('spin', function(keys, args) while true do end end)"));
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return attacker.call("FCALL", "spin", "0", "extra");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String ping;
        do {
            ping = bystander.call("PING");
        } while (ping.equals("+PONG\r\n") && !result.isDone());
        String busy = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
        assertEquals(busy, ping);
        assertEquals(busy, bystander.call("SCRIPT", "KILL"));
        String stats = bystander.call("FUNCTION", "STATS");
        assertTrue(stats.startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n"
                + "*4\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$5\r\nextra\r\n$11\r\nduration_ms\r\n:"), stats);
        assertEquals("+OK\r\n", bystander.call("FUNCTION", "KILL"));
        assertEquals("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n",
                result.get(10, TimeUnit.SECONDS));
        assertEquals("-NOTBUSY No scripts in execution right now.\r\n", bystander.call("FUNCTION", "KILL"));
        assertEquals("+OK\r\n", bystander.call("FUNCTION", "DELETE", "spin"));
    }

    @Test
    void aBusyEvalIsNotKilledByFunctionKill() throws Exception {
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return attacker.call("EVAL", "while true do end", "0");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String ping;
        do {
            ping = bystander.call("PING");
        } while (ping.equals("+PONG\r\n") && !result.isDone());
        String busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
        assertEquals(busy, bystander.call("FUNCTION", "KILL"));
        assertEquals(busy, bystander.call("FUNCTION", "STATS"));
        assertEquals("+OK\r\n", bystander.call("SCRIPT", "KILL"));
        assertTrue(result.get(10, TimeUnit.SECONDS).startsWith("-ERR Script killed by user with SCRIPT KILL..."));
    }

    @Test
    void aLibraryThatLoopsWhileLoadingIsStoppedAfterHalfASecond() throws IOException {
        String reply = attacker.call("FUNCTION", "LOAD", "#!lua name=forever\nwhile true do end");
        assertTrue(reply.startsWith("-ERR Error registering functions: ") && reply.contains("FUNCTION LOAD timeout"), reply);
        assertEquals("+PONG\r\n", bystander.call("PING"));
    }

    @Test
    void librariesCannotShareStateThroughGlobals() throws IOException {
        String setter = "#!lua name=setter\nredis.register_function('plant', function() shared = 1 end)";
        String getter = "#!lua name=getter\nredis.register_function('look', function() return shared end)";
        attacker.call("FUNCTION", "LOAD", "REPLACE", setter);
        attacker.call("FUNCTION", "LOAD", "REPLACE", getter);
        assertTrue(attacker.call("FCALL", "plant", "0").contains("Attempt to modify a readonly table"));
        assertTrue(attacker.call("FCALL", "look", "0").contains("nonexistent global variable 'shared'"));
        String local = "#!lua name=counter\nlocal n = 0\nredis.register_function('next', function() n = n + 1 return n end)";
        attacker.call("FUNCTION", "LOAD", "REPLACE", local);
        assertEquals(":1\r\n", attacker.call("FCALL", "next", "0"));
        assertEquals(":2\r\n", attacker.call("FCALL", "next", "0"));
        attacker.call("FUNCTION", "FLUSH");
    }

    @Test
    void aScriptThatWroteCannotBeKilledButEndsOnItsOwn() throws Exception {
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return attacker.call("EVAL", "redis.call('set', 'k', 'v') local n = 0 "
                        + "for i = 1, 5e7 do n = n + 1 end return n", "0");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String ping;
        do {
            ping = bystander.call("PING");
        } while (ping.equals("+PONG\r\n") && !result.isDone());
        if (!result.isDone()) {
            assertTrue(ping.startsWith("-BUSY"), ping);
            assertTrue(bystander.call("SCRIPT", "KILL").startsWith("-UNKILLABLE Sorry the script already executed"));
        }
        assertEquals(":50000000\r\n", result.get(120, TimeUnit.SECONDS));
        assertEquals("$1\r\nv\r\n", bystander.call("GET", "k"));
    }

    @Test
    void theSandboxSurvivesAttacksUnchanged() throws IOException {
        for (Attack attack : ATTACKS.subList(20, 29)) {
            attacker.call("EVAL", attack.script(), "0");
        }
        assertEquals("$3\r\nabc\r\n", attacker.call("EVAL", "return string.format('%s', 'abc')", "0"));
        assertEquals("$2\r\nxx\r\n", attacker.call("EVAL", "return ('x'):rep(2)", "0"));
        assertEquals("+PONG\r\n", attacker.call("EVAL", "return redis.call('ping')", "0"));
        assertTrue(attacker.call("EVAL", "return backdoor", "0").contains("nonexistent global variable 'backdoor'"));
    }
}
