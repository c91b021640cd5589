// Where the keyspace reads the time, so that tests can move it forward instead of sleeping.
package io.port6379.datastructures;

/** Milliseconds since the Unix epoch, as Redis's {@code mstime()}. */
@FunctionalInterface
public interface Clock {

    long millis();

    /** The wall clock. */
    Clock SYSTEM = System::currentTimeMillis;
}
