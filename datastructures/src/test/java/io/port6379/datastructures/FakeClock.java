// A clock the tests move by hand, so expiry can be tested without sleeping.
package io.port6379.datastructures;

final class FakeClock implements Clock {

    private long now;

    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long millis() {
        return now;
    }

    void advance(long millis) {
        now += millis;
    }
}
