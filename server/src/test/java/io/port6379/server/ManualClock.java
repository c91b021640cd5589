// A clock that tests move by hand, so expiry can be tested without sleeping.
package io.port6379.server;

import io.port6379.datastructures.Clock;

/** Starts at a fixed time; {@link #advance} moves it forward. */
final class ManualClock implements Clock {

    private long now = 1_700_000_000_000L;

    @Override
    public long millis() {
        return now;
    }

    void advance(long millis) {
        now += millis;
    }
}
