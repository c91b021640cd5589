// Raised when a command meets a key holding another type than it works on.
package io.port6379.datastructures;

/** The {@code WRONGTYPE} condition; its message is Redis's exact error text. */
public final class WrongTypeException extends RedisException {

    public static final String MESSAGE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    public WrongTypeException() {
        super(MESSAGE);
    }
}
