// Values nested thousands deep, in a script's reply and through cjson, answered byte for byte as redis-server does.
package io.port6379.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis's C walks a script's reply, and lua-cjson its tables and texts, on the Lua stack, whose 8000 slots end the
 * walk: a table that contains itself is answered as thousands of nested arrays ended by {@code reached lua stack
 * limit}, and cjson stops near 8000 arrays or 4000 objects even with its depth settings raised. Ours walks them
 * without recursion and stops where Redis does. The replies are read as raw bytes up to a PING's PONG sent after
 * each script, so no reader nests 8000 calls deep either.
 */
class ScriptNestingTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest
    @ValueSource(strings = {
        "local a = {}; local b = {a}; a[1] = b; return a",
        "local a = {}; local b = {a, 'x'}; a[1] = b; a[2] = 'y'; return {{a}, {ok = 'done'}}",
        "redis.setresp(3) local a = {}; a.map = {x = a}; return a",
        "redis.setresp(3) local a = {}; a.set = {[a] = true}; return a",
        "redis.setresp(3) local a = {}; local b = {map = {k = a}}; a[1] = b; return {a, {ok = 'end'}}",
        "local t = {} local c = t for i = 1, 7993 do c[1] = {} c = c[1] end c[1] = 'leaf' return t",
        "local t = {} local c = t for i = 1, 7994 do c[1] = {} c = c[1] end c[1] = 'leaf' return t",
        "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 20000 do c[1] = {} c = c[1] end"
            + " return {pcall(cjson.encode, t)}",
        "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 7996 do c[1] = {} c = c[1] end"
            + " return #cjson.encode(t)",
        "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 3998 do c.a = {} c = c.a end"
            + " return #cjson.encode(t)",
        "cjson.decode_max_depth(100000) return {pcall(cjson.decode, string.rep('[', 20000))}",
        "cjson.decode_max_depth(100000) return {pcall(cjson.decode, string.rep('{\"a\":', 20000))}",
        "cjson.decode_max_depth(100000) return #cjson.decode(string.rep('[', 7998) .. string.rep(']', 7998))",
        "cjson.decode_max_depth(100000) local t = cjson.decode(string.rep('[', 7998) .. string.rep(']', 7998))"
            + " return t",
    })
    void deepValuesStopWhereRedisStops(String script) throws Exception {
        assertEquals(reply(servers.redis().port(), script), reply(servers.ours().port(), script));
    }

    /** The bytes of EVAL's reply, after SCRIPT FLUSH (cjson's settings back to their defaults). */
    private static String reply(int port, String script) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((command("SCRIPT", "FLUSH") + command("EVAL", script, "0") + command("PING"))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            String text = "";
            while (!text.endsWith("+PONG\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
                text = received.toString(StandardCharsets.ISO_8859_1);
            }
            return text;
        }
    }

    private static String command(String... args) {
        StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                    .append("\r\n");
        }
        return request.toString();
    }
}
