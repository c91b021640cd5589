// INFO memory's script and function fields, and SCRIPT/FUNCTION FLUSH ASYNC's lazyfree counts, against redis-server 7.0.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interpreter's memory is the JVM's, so the figures are ours and not Redis's bytes; what both servers share is
 * the fields, their order, and how they move: up when a script or library is added (Redis's interpreter counts in
 * kilobytes, so its EVAL figure may stay), the cache's down to nothing
 * when it is flushed. A flush in ASYNC mode empties at once and lets a big cache go in the background, counted
 * per script or function in {@code lazyfreed_objects} when there were more than 64, as Redis does.
 */
class ScriptMemoryInfoTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static final List<String> FIELDS = List.of("used_memory_lua", "used_memory_vm_eval",
            "used_memory_lua_human", "used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
            "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total", "used_memory_vm_total_human",
            "used_memory_functions", "used_memory_scripts", "used_memory_scripts_human");

    @Test
    void scriptFieldsAreRedissInRedissOrderAndFollowTheCaches() throws IOException {
        for (int port : new int[]{servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("SCRIPT", "FLUSH");
                c.call("FUNCTION", "FLUSH");
                Map<String, String> empty = memory(c);
                assertEquals(FIELDS, new ArrayList<>(empty.keySet()), "port " + port);
                assertEquals("0", empty.get("used_memory_scripts_eval"));
                c.call("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])");
                c.call("FUNCTION", "LOAD", "#!lua name=mem\nredis.register_function('f', function() return 1 end)");
                Map<String, String> loaded = memory(c);
                assertTrue(number(loaded, "used_memory_scripts_eval") > 0, loaded::toString);
                assertTrue(number(loaded, "used_memory_vm_eval") >= number(empty, "used_memory_vm_eval"), loaded::toString);
                assertTrue(number(loaded, "used_memory_vm_functions") > number(empty, "used_memory_vm_functions"));
                assertTrue(number(loaded, "used_memory_functions") > number(empty, "used_memory_functions"));
                assertEquals(number(loaded, "used_memory_scripts_eval") + number(loaded, "used_memory_functions"),
                        number(loaded, "used_memory_scripts"));
                assertEquals(number(loaded, "used_memory_vm_eval") + number(loaded, "used_memory_vm_functions"),
                        number(loaded, "used_memory_vm_total"));
                c.call("SCRIPT", "FLUSH", "ASYNC");
                c.call("FUNCTION", "FLUSH", "ASYNC");
                Map<String, String> flushed = memory(c);
                assertEquals("0", flushed.get("used_memory_scripts_eval"));
                assertEquals(number(empty, "used_memory_functions"), number(flushed, "used_memory_functions"));
                assertEquals("0", flushed.get("number_of_cached_scripts"));
            }
        }
    }

    @Test
    void anAsyncFlushOfMoreThan64ScriptsOrFunctionsCountsThemAsLazyFreed() throws Exception {
        List<Long> counts = new ArrayList<>();
        for (int port : new int[]{servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("SCRIPT", "FLUSH", "SYNC");
                c.call("FUNCTION", "FLUSH", "SYNC");
                c.call("CONFIG", "RESETSTAT");
                loadScripts(c, 100);
                c.call("SCRIPT", "FLUSH", "ASYNC");
                counts.add(awaitLazyFreed(c, 100));
                loadScripts(c, 10);
                c.call("SCRIPT", "FLUSH", "ASYNC"); // 64 or fewer: freed at once, not counted
                StringBuilder library = new StringBuilder("#!lua name=many");
                for (int i = 0; i < 70; i++) {
                    library.append("\nredis.register_function('f").append(i).append("', function() return 1 end)");
                }
                c.call("FUNCTION", "LOAD", library.toString());
                c.call("FUNCTION", "FLUSH", "ASYNC");
                counts.add(awaitLazyFreed(c, 170));
                c.call("FUNCTION", "LOAD", library.toString());
                c.call("FUNCTION", "FLUSH", "SYNC");
                c.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "yes");
                loadScripts(c, 65);
                c.call("SCRIPT", "FLUSH"); // no mode: lazyfree-lazy-user-flush decides
                counts.add(awaitLazyFreed(c, 235));
                c.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "no");
            }
        }
        assertEquals(List.of(100L, 170L, 235L, 100L, 170L, 235L), counts);
    }

    private static void loadScripts(RespConnection c, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            c.call("SCRIPT", "LOAD", "return " + i);
        }
    }

    /** lazyfreed_objects once it reaches {@code expected} (the lazyfree thread counts after the reply), or at 10 s. */
    private static long awaitLazyFreed(RespConnection c, long expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long freed;
        while ((freed = Long.parseLong(info(c).getOrDefault("lazyfreed_objects", "-1"))) != expected
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return freed;
    }

    private static Map<String, String> memory(RespConnection c) throws IOException {
        Map<String, String> all = info(c);
        Map<String, String> fields = new LinkedHashMap<>();
        all.forEach((name, value) -> {
            if (FIELDS.contains(name)) {
                fields.put(name, value);
            }
        });
        return fields;
    }

    private static Map<String, String> info(RespConnection c) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : ((String) c.callParsed("INFO", "memory")).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static long number(Map<String, String> fields, String name) {
        return Long.parseLong(fields.get(name));
    }
}
