// DEBUG SET-SKIP-CHECKSUM-VALIDATION: whether RDB loads and RESTORE skip the CRC-64 check (Redis's test switch).
package io.port6379.server.persistence;

import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

/**
 * Redis's {@code server.skip_checksum_validation}: off by default; its tests turn it on to feed hand-made RDB files
 * and DUMP payloads whose checksum they did not compute. The RDB version is still checked, as in Redis.
 */
public final class ChecksumValidation {

    private static final Slot<boolean[]> SKIPPED = Slot.named("skip-checksum-validation", () -> new boolean[1]);

    private ChecksumValidation() {
    }

    public static boolean skipped(ServerContext server) {
        return server.get(SKIPPED)[0];
    }

    public static void skip(ServerContext server, boolean skip) {
        server.get(SKIPPED)[0] = skip;
    }

    /** Whether a load compares the file's CRC-64: {@code rdbchecksum} asks for it and DEBUG has not turned it off. */
    static boolean rdbChecked(ServerContext server) {
        return server.config().flag("rdbchecksum") && !skipped(server);
    }
}
