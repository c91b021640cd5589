// Shows binary payloads readably in toString() and test failure messages.
package io.port6379.protocol;

/** Renders payload bytes for {@code toString}: printable ASCII as is, anything else as {@code \xHH}. */
final class Printable {
    private Printable() {
    }

    static String of(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.toString();
    }
}
