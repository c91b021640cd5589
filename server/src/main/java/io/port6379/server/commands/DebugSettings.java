// What DEBUG sets that only tests look at: the AOF flush pause, the packed threshold.
package io.port6379.server.commands;

import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

/**
 * Redis keeps these switches in its {@code server} struct for its own tests. Ours has no quicklist nodes, so they
 * are kept as set, for DEBUG to accept what Redis accepts.
 */
final class DebugSettings {

    private static final Slot<DebugSettings> SLOT = Slot.named("debug-settings", DebugSettings::new);

    long aofFlushSleepMicros;
    long packedThreshold = 1L << 30;

    static DebugSettings of(ServerContext server) {
        return server.get(SLOT);
    }
}
