// One client's MULTI state: the queued commands, whether queuing failed, and the keys it WATCHes.
package io.port6379.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis keeps this in the client ({@code mstate}, {@code watched_keys} and the {@code CLIENT_MULTI},
 * {@code CLIENT_DIRTY_EXEC} and {@code CLIENT_DIRTY_CAS} flags); here it is one object, created on a client's
 * first MULTI or WATCH. Used under the execution lock.
 */
final class Transaction {

    /** A command accepted while queuing: already looked up and arity-checked. */
    record Queued(Command command, byte[][] args) {
    }

    private final List<Queued> queued = new ArrayList<>();
    private final Map<WatchedKeys.Key, Long> watched = new LinkedHashMap<>();
    private boolean inMulti;
    private boolean queuingFailed;
    private boolean dirty;

    /** Between MULTI and the end of EXEC or DISCARD (EXEC's own commands run with this still set, as in Redis). */
    boolean inMulti() {
        return inMulti;
    }

    void begin() {
        inMulti = true;
    }

    void queue(Command command, byte[][] args) {
        queued.add(new Queued(command, args));
    }

    List<Queued> queued() {
        return queued;
    }

    /** A command was rejected while queuing (unknown, wrong arity): EXEC will answer EXECABORT. */
    void queuingFailed() {
        queuingFailed = true;
    }

    boolean hasQueuingFailed() {
        return queuingFailed;
    }

    /** A watched key was modified: EXEC will answer a nil array. */
    void markDirty() {
        dirty = true;
    }

    boolean isDirty() {
        return dirty;
    }

    /** UNWATCH: whatever was modified no longer matters. */
    void clean() {
        dirty = false;
    }

    /** Each watched key with its expiry time when WATCH ran (-1: none, -2: absent). */
    Map<WatchedKeys.Key, Long> watched() {
        return watched;
    }

    /** After EXEC or DISCARD: out of MULTI, nothing queued, clean. The caller unwatches. */
    void end() {
        queued.clear();
        inMulti = false;
        queuingFailed = false;
        dirty = false;
    }
}
