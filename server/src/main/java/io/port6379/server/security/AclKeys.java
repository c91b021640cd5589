// Finds the keys and channels of one call, with the access each needs, for the ACL check.
package io.port6379.server.security;

import io.port6379.server.Command;
import java.util.List;

/**
 * Redis checks key permissions against the keys that the command's key specifications find
 * ({@code getKeysFromCommandWithSpecs}), and channel permissions against the channels of the commands that take
 * them ({@code getChannelsFromCommand}). A key needs read permission when its spec says {@code ACCESS} and write
 * permission when it says {@code INSERT}, {@code DELETE} or {@code UPDATE}; specs flagged {@code not_key} (the
 * shard channels of SSUBSCRIBE) are not keys.
 */
final class AclKeys {

    /** Whether {@code key} may be used with the permissions {@code needed} ({@link AclSelector#READ}/{@code WRITE}). */
    interface KeyCheck {
        boolean allowed(byte[] key, int needed);
    }

    /** Whether {@code channel} may be used; a pattern (PSUBSCRIBE) is compared literally. */
    interface ChannelCheck {
        boolean allowed(byte[] channel, boolean isPattern);
    }

    private AclKeys() {
    }

    // tag::keys[]
    /**
     * The position of the first key the check refuses, or 0 when every key is allowed. The keys are Redis's
     * ({@link Command#keys}); a key found without flags (Redis's fallback for a malformed count) only needs to
     * match a pattern. O(keys).
     */
    static int firstDenied(Command command, byte[][] args, KeyCheck check) {
        for (Command.KeyReference key : command.keys(args)) {
            List<String> flags = key.flags();
            if (flags.contains("NOT_KEY")) {
                continue;
            }
            if (!check.allowed(args[key.position()], permissions(flags))) {
                return key.position();
            }
        }
        return 0;
    }
    // end::keys[]

    private static int permissions(List<String> flags) {
        int needed = 0;
        if (flags.contains("ACCESS")) {
            needed |= AclSelector.READ;
        }
        if (flags.contains("INSERT") || flags.contains("DELETE") || flags.contains("UPDATE")) {
            needed |= AclSelector.WRITE;
        }
        return needed;
    }

    /**
     * The position of the first channel refused, or 0. SUBSCRIBE, SSUBSCRIBE and PSUBSCRIBE check every
     * argument, PUBLISH and SPUBLISH their channel; the UNSUBSCRIBE family is never refused.
     */
    static int firstDeniedChannel(Command command, byte[][] args, ChannelCheck check) {
        boolean pattern = false;
        int last;
        switch (command.name()) {
            case "subscribe", "ssubscribe" -> last = args.length - 1;
            case "psubscribe" -> {
                last = args.length - 1;
                pattern = true;
            }
            case "publish", "spublish" -> last = 1;
            default -> {
                return 0;
            }
        }
        for (int i = 1; i <= last && i < args.length; i++) {
            if (!check.allowed(args[i], pattern)) {
                return i;
            }
        }
        return 0;
    }
}
