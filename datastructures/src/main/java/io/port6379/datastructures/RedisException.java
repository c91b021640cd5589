// A command cannot be carried out: the message is the exact error Redis replies with, code first.
package io.port6379.datastructures;

/**
 * An error a Redis command reports to its client, e.g. {@code ERR value is not an integer or out of range}.
 * The message starts with the error code ({@code ERR}, {@code WRONGTYPE}, ...), so the server can send it
 * as {@code -<message>} unchanged. Unchecked, because any operation deep in a value type may raise it.
 */
public class RedisException extends RuntimeException {

    public RedisException(String message) {
        super(message, null, false, false);
    }
}
