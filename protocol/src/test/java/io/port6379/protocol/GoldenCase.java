// One request byte string and what Redis 7.0.15 makes of it: the commands it runs, then maybe a protocol error.
package io.port6379.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A golden case. {@code commands} are what Redis executes, in order; {@code error} is the protocol error it then
 * replies with before closing the connection, or {@code null} when it instead waits for more bytes (or has read
 * everything). Strings stand for bytes one char per byte (ISO-8859-1), so {@code "\u00ff"} is the byte 0xff.
 *
 * @param authRequired the client has not authenticated yet and the server has a password
 */
record GoldenCase(String name, byte[] input, List<List<String>> commands, String error, boolean authRequired) {

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The commands as Redis would receive them. */
    List<byte[][]> commandBytes() {
        return commands.stream()
                .map(command -> command.stream().map(GoldenCase::bytes).toArray(byte[][]::new))
                .toList();
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoldenCase other && name.equals(other.name) && Arrays.equals(input, other.input)
                && commands.equals(other.commands) && java.util.Objects.equals(error, other.error)
                && authRequired == other.authRequired;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
