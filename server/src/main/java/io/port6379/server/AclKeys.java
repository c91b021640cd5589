// Finds the keys and channels of one call, with the access each needs, for the ACL check.
package io.port6379.server;

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
    /** The position of the first key the check refuses, or 0 when every key is allowed. O(keys). */
    static int firstDenied(Command command, byte[][] args, KeyCheck check) {
        for (Command.KeySpec spec : command.keySpecs()) {
            if (spec.flags().contains("not_key")) {
                continue;
            }
            int needed = spec.flags().contains("VARIABLE_FLAGS") ? variablePermissions(command, args, spec.flags())
                    : permissions(spec.flags());
            int last = spec.lastKey() >= 0 ? spec.index() + spec.lastKey() : args.length + spec.lastKey();
            for (int i = spec.index(); i <= last && i < args.length; i += spec.step()) {
                if (!check.allowed(args[i], needed)) {
                    return i;
                }
            }
        }
        if (command.has(CommandFlag.MOVABLEKEYS)) {
            return firstDeniedAfterNumkeys(command, args, check);
        }
        return 0;
    }
    // end::keys[]

    /**
     * The keys that follow a {@code numkeys} argument (LMPOP, ZUNION, ZUNIONSTORE...), for commands whose table
     * row has no key specification for them: {@code numkeys} comes after the timeout of a blocking command and
     * after the destination of a STORE command. They need read permission, and write permission too when the
     * command writes, which is what Redis's specs ask of them ({@code RW ACCESS DELETE} for LMPOP).
     */
    private static int firstDeniedAfterNumkeys(Command command, byte[][] args, KeyCheck check) {
        int numkeysAt = command.has(CommandFlag.BLOCKING) || !command.keySpecs().isEmpty() ? 2 : 1;
        if (command.keySpecs().size() > 1 || numkeysAt >= args.length) {
            return 0; // the table describes every key already
        }
        long numkeys;
        try {
            numkeys = Args.parseLong(args[numkeysAt]);
        } catch (RuntimeException notANumber) {
            return 0; // the command itself answers the error; it touches no key
        }
        boolean sourcesOnly = !command.keySpecs().isEmpty(); // ZUNIONSTORE: the sources are only read
        int needed = command.has(CommandFlag.WRITE) && !sourcesOnly ? AclSelector.READ | AclSelector.WRITE : AclSelector.READ;
        for (long i = numkeysAt + 1; i <= numkeysAt + numkeys && i < args.length; i++) {
            if (!check.allowed(args[(int) i], needed)) {
                return (int) i;
            }
        }
        return 0;
    }

    /**
     * SET's spec says {@code RW ACCESS UPDATE VARIABLE_FLAGS}: Redis's {@code setGetKeys} narrows it to
     * {@code OW UPDATE} (write only) unless the call has the GET option, which reads the old value.
     */
    private static int variablePermissions(Command command, byte[][] args, List<String> flags) {
        if (command.name().equals("set")) {
            for (int i = 3; i < args.length; i++) {
                if (Args.is(args[i], "get")) {
                    return AclSelector.READ | AclSelector.WRITE;
                }
            }
            return AclSelector.WRITE;
        }
        return permissions(flags);
    }

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
