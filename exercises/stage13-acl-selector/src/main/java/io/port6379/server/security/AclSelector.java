// Exercise 13: your ACL selector, the permissions of a user. It replaces the reference
// io.port6379.server.security.AclSelector, under the reference AclUser and ACL commands. Check it with
// `exercises/check 13`; talk to it with `exercises/run-server 13 --port 6380` and redis-cli (ACL SETUSER, ACL LIST,
// AUTH, then commands that the user may or may not run).
//
// What to build, in the order the tests check it (chapter 13, "ACL rules"):
//  1. State: a bit per command (AclCommandIndex numbers them; index.size(), index.id(command)...), allowed first
//     arguments per command (+select|0), key patterns (KeyPattern, with READ and WRITE permissions), channel
//     patterns, and the flags allCommands, allKeys, allChannels that make the common check cheap. A new selector
//     allows nothing. copy() is independent (ACL SETUSER is all or nothing).
//  2. apply(): one rule, as Redis's ACLSetSelector: allcommands/+@all, nocommands/-@all, +cmd, -cmd, +cmd|sub,
//     +cmd|firstarg, +@category, -@category, allkeys/~*, resetkeys, ~pattern, %R~pattern, %W~pattern, %RW~pattern,
//     allchannels/&*, resetchannels, &pattern. A bad rule throws AclUser.InvalidRule with Redis's text (the tests
//     compare it with redis-server's: "Unknown command or category name in ACL", "Syntax error"...).
//  3. check(): the command (or one of its allowed first arguments), then every key its key specs find, needing
//     READ or WRITE as the spec's flags say, then the channels of (P|S)SUBSCRIBE and (S)PUBLISH; null when
//     allowed, else the Denial with the argument's position. keyAllowed, channelAllowed (a PSUBSCRIBE pattern must
//     be one of the patterns, literally) and readsEveryKey as their comments say; Glob.matches matches.
//  4. describe(), describeKeys(), describeChannels() and describeCommands(): ACL LIST and ACL GETUSER's text, in
//     Redis's order and Redis's shortest form (describeCommands' comment gives the greedy rule).
// Given: KeyPattern.
// Tests: server/src/test/java/io/port6379/server/security/AclUserTest.java, AclProperties.java,
// server/src/test/java/io/port6379/server/AclTest.java (against real redis-server too) and AclFileTest.java.
// The reference solution is server/src/main/java/io/port6379/server/security/AclSelector.java.
package io.port6379.server.security;

import io.port6379.server.AclCategory;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permissions half of an ACL user, as Redis 7.0's {@code aclSelector}: a bit per command (see
 * {@link AclCommandIndex}), "first arguments" that let through one form of an otherwise denied command
 * ({@code +select|0}), key patterns with read/write permissions ({@code ~cache:*}, {@code %R~log:*}) and channel
 * patterns ({@code &news.*}). Every user has a root selector, and may have more, written in parentheses
 * ({@code (~log:* +get)}); see {@link AclUser#check}.
 *
 * <p>Three flags make the common case cheap: {@code allCommands} (set by {@code +@all}, lost as soon as any
 * command is taken away), {@code allKeys} and {@code allChannels}. {@code futureCommands} is Redis's reserved
 * bit: only {@code +@all} sets it and only {@code -@all} clears it, and it decides whether ACL LIST describes the
 * user starting from {@code +@all} or from {@code -@all}.
 *
 * <p>Not thread-safe: changed and read under the execution lock.
 */
public final class AclSelector {

    static final int READ = 1;
    static final int WRITE = 2;

    /** A key pattern and what it grants: {@code ~p} both, {@code %R~p} reading, {@code %W~p} writing. */
    static final class KeyPattern {
        final byte[] pattern;
        int permissions;

        KeyPattern(byte[] pattern, int permissions) {
            this.pattern = pattern;
            this.permissions = permissions;
        }

        /** Redis's {@code sdsCatPatternString}. */
        String rule() {
            String prefix = switch (permissions) {
                case READ -> "%R~";
                case WRITE -> "%W~";
                default -> "~";
            };
            return prefix + new String(pattern, StandardCharsets.ISO_8859_1);
        }
    }

    /** Why a command was refused, and the argument that caused it (0 for the command itself). */
    public record Denial(Kind kind, int argument) {
        public enum Kind { COMMAND, KEY, CHANNEL }
    }

    AclSelector(AclCommandIndex index) {
        throw new UnsupportedOperationException("exercise 13: AclSelector()");
    }

    /** An independent copy, for ACL SETUSER's all-or-nothing change. */
    AclSelector copy() {
        throw new UnsupportedOperationException("exercise 13: copy()");
    }

    /** Whether every command, key and channel is allowed: the check can be skipped altogether. */
    boolean unrestricted() {
        throw new UnsupportedOperationException("exercise 13: unrestricted()");
    }

    boolean allChannels() {
        throw new UnsupportedOperationException("exercise 13: allChannels()");
    }

    /** Applies one rule of ACL SETUSER (Redis's {@code ACLSetSelector}); throws {@link AclUser.InvalidRule}. */
    void apply(String op) {
        throw new UnsupportedOperationException("exercise 13: apply()");
    }

    /**
     * Redis's {@code ACLSelectorCheckCmd}: the command (or its allowed first argument), then every key the
     * command's key specifications find, then the channels of (P|S)SUBSCRIBE and (S)PUBLISH. {@code null} when
     * allowed. O(keys × key patterns + channels × channel patterns).
     */
    Denial check(Command command, byte[][] args) {
        throw new UnsupportedOperationException("exercise 13: check()");
    }

    /**
     * Redis's {@code ACLSelectorHasUnrestrictedKeyAccess} for reading: {@code allkeys}, or the pattern {@code *}
     * with read permission ({@code ~*} or {@code %R~*}).
     */
    boolean readsEveryKey() {
        throw new UnsupportedOperationException("exercise 13: readsEveryKey()");
    }

    /** Redis's {@code ACLSelectorCheckKey}: a pattern that grants at least the needed permissions matches the key. */
    boolean keyAllowed(byte[] key, int needed) {
        throw new UnsupportedOperationException("exercise 13: keyAllowed()");
    }

    /**
     * Redis's {@code ACLCheckChannelAgainstList}: a channel must match one of the patterns; a pattern given to
     * PSUBSCRIBE must be one of them, literally, since a pattern cannot be proven to match only allowed channels.
     */
    boolean channelAllowed(byte[] channel, boolean isPattern) {
        throw new UnsupportedOperationException("exercise 13: channelAllowed()");
    }

    /** ACL GETUSER's {@code keys}: {@code ~*}, or the patterns separated by spaces. */
    public String describeKeys() {
        throw new UnsupportedOperationException("exercise 13: describeKeys()");
    }

    /** ACL GETUSER's {@code channels}: {@code &*}, or the patterns separated by spaces. */
    public String describeChannels() {
        throw new UnsupportedOperationException("exercise 13: describeChannels()");
    }

    /** ACL LIST's part for this selector (Redis's {@code ACLDescribeSelector}): keys, channels, then commands. */
    String describe() {
        throw new UnsupportedOperationException("exercise 13: describe()");
    }

    /**
     * The shortest-looking rules that rebuild this selector's command bits, as Redis 7.0's
     * {@code ACLDescribeSelectorCommandRules} finds them: start from {@code +@all} or {@code -@all}, then
     * greedily apply the category that agrees with the user on more commands than it disagrees, fewest
     * disagreements first; finally name the single commands still different. A {@code fake} selector replays the
     * emitted rules so the result is checked to rebuild exactly the same bits.
     */
    public String describeCommands() {
        throw new UnsupportedOperationException("exercise 13: describeCommands()");
    }

}
