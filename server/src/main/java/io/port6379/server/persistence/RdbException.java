// A file that is not valid RDB (or uses a feature we do not load): the message says what and where.
package io.port6379.server.persistence;

/** Thrown while reading an RDB file that is corrupted, truncated, or holds something we cannot load. */
public final class RdbException extends RuntimeException {

    public RdbException(String message) {
        super(message);
    }
}
