// Malformed input on the wire. Like Redis, the server answers it with one error reply and closes the connection.
package io.port6379.protocol;

/**
 * Thrown by the decoders when the input can never become a valid frame.
 * The message is Redis's exact text, e.g. {@code Protocol error: invalid bulk length}; the server sends it as
 * {@code -ERR <message>} and then closes the connection.
 */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
