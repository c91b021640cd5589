// What an ACL user may run and touch: its permitted commands, key patterns and channel patterns (Redis's root selector).
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

    private final AclCommandIndex index;
    private final BitSet allowed = new BitSet();
    private boolean allCommands;
    private boolean futureCommands;
    private final Map<Integer, List<String>> firstArgs = new LinkedHashMap<>();
    private boolean allKeys;
    private final List<KeyPattern> keys = new ArrayList<>();
    private boolean allChannels;
    private final List<byte[]> channels = new ArrayList<>();

    AclSelector(AclCommandIndex index) {
        this.index = index;
    }

    /** An independent copy, for ACL SETUSER's all-or-nothing change. */
    AclSelector copy() {
        AclSelector copy = new AclSelector(index);
        copy.allowed.or(allowed);
        copy.allCommands = allCommands;
        copy.futureCommands = futureCommands;
        firstArgs.forEach((id, args) -> copy.firstArgs.put(id, new ArrayList<>(args)));
        copy.allKeys = allKeys;
        keys.forEach(k -> copy.keys.add(new KeyPattern(k.pattern, k.permissions)));
        copy.allChannels = allChannels;
        copy.channels.addAll(channels);
        return copy;
    }

    /** Whether every command, key and channel is allowed: the check can be skipped altogether. */
    boolean unrestricted() {
        return allCommands && allKeys && allChannels;
    }

    boolean allChannels() {
        return allChannels;
    }

    /** Applies one rule of ACL SETUSER (Redis's {@code ACLSetSelector}); throws {@link AclUser.InvalidRule}. */
    // tag::rules[]
    void apply(String op) {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            allKeys = true;
            keys.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            allKeys = false;
            keys.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            allowed.set(0, index.size());
            allCommands = futureCommands = true;
            firstArgs.clear();
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            allowed.clear();
            allCommands = futureCommands = false;
            firstArgs.clear();
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            addChannelPattern(op);
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            AclCategory category = AclCommandIndex.category(op.substring(2));
            if (category == null) {
                throw new AclUser.InvalidRule(AclUser.InvalidRule.UNKNOWN);
            }
            setCategory(category, op.charAt(0) == '+');
        } else if (op.startsWith("+")) {
            allowCommand(op.substring(1));
        } else if (op.startsWith("-")) {
            denyCommand(op.substring(1));
        } else {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.SYNTAX);
        }
    }
    // end::rules[]

    /** {@code ~pattern}, or {@code %R~}, {@code %W~}, {@code %RW~} with the permissions spelled out. */
    private void addKeyPattern(String op) {
        if (allKeys) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.KEYS_AFTER_ALL);
        }
        int permissions = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (permissions & READ) == 0) {
                    permissions |= READ;
                } else if (c == 'W' && (permissions & WRITE) == 0) {
                    permissions |= WRITE;
                } else if (c == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclUser.InvalidRule(AclUser.InvalidRule.SYNTAX);
                }
            }
        } else {
            permissions = READ | WRITE;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (permissions == 0 || hasSpaces(pattern)) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.SYNTAX);
        }
        byte[] bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
        for (KeyPattern existing : keys) {
            if (Arrays.equals(existing.pattern, bytes)) {
                existing.permissions |= permissions; // %R~k then %W~k is ~k
                return;
            }
        }
        keys.add(new KeyPattern(bytes, permissions));
    }

    private void addChannelPattern(String op) {
        if (allChannels) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.CHANNELS_AFTER_ALL);
        }
        String pattern = op.substring(1);
        if (hasSpaces(pattern)) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.SYNTAX);
        }
        byte[] bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
        if (channels.stream().noneMatch(c -> Arrays.equals(c, bytes))) {
            channels.add(bytes);
        }
    }

    /**
     * {@code +get}, {@code +client|id}, or {@code +select|0}: a "first argument" of a command that has no
     * subcommands, which Redis 7.0 still accepts (with a deprecation warning in its log).
     */
    private void allowCommand(String name) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            Command command = index.lookup(name);
            if (command == null) {
                throw new AclUser.InvalidRule(AclUser.InvalidRule.UNKNOWN);
            }
            change(command, true);
            return;
        }
        Command command = index.lookup(name.substring(0, bar));
        String sub = name.substring(bar + 1);
        if (command == null) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.UNKNOWN);
        }
        if (index.parent(command) != null) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.FIRST_ARG_OF_SUBCOMMAND);
        }
        if (sub.isEmpty()) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.SYNTAX);
        }
        if (command.isContainer()) {
            Command subcommand = index.lookup(name);
            if (subcommand == null) {
                throw new AclUser.InvalidRule(AclUser.InvalidRule.UNKNOWN);
            }
            change(subcommand, true);
        } else {
            List<String> args = firstArgs.computeIfAbsent(index.id(command), id -> new ArrayList<>());
            if (args.stream().noneMatch(sub::equalsIgnoreCase)) {
                args.add(sub);
            }
        }
    }

    /** {@code -get}, {@code -client|kill}: a first argument cannot be taken away, only the whole command. */
    private void denyCommand(String name) {
        Command command = index.lookup(name);
        if (command == null) {
            throw new AclUser.InvalidRule(AclUser.InvalidRule.UNKNOWN);
        }
        change(command, false);
    }

    /** Redis's {@code ACLChangeSelectorPerm}: the command's bit, and those of all its subcommands for a container. */
    private void change(Command command, boolean allow) {
        int id = index.id(command);
        setBit(id, allow);
        firstArgs.remove(id);
        for (Command sub : command.subcommands()) {
            setBit(index.id(sub), allow);
        }
    }

    private void setBit(int id, boolean allow) {
        if (id < 0) {
            return;
        }
        allowed.set(id, allow);
        if (!allow) {
            allCommands = false;
        }
    }

    /** Redis's {@code ACLSetSelectorCommandBitsForCategory}: a container in the category carries all its subcommands. */
    private void setCategory(AclCategory category, boolean allow) {
        BitSet members = index.members(category);
        for (int id = members.nextSetBit(0); id >= 0; id = members.nextSetBit(id + 1)) {
            change(index.ordered().get(id), allow);
        }
    }

    private static boolean hasSpaces(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0) {
                return true;
            }
        }
        return false;
    }

    // tag::check[]
    /**
     * Redis's {@code ACLSelectorCheckCmd}: the command (or its allowed first argument), then every key the
     * command's key specifications find, then the channels of (P|S)SUBSCRIBE and (S)PUBLISH. {@code null} when
     * allowed. O(keys × key patterns + channels × channel patterns).
     */
    Denial check(Command command, byte[][] args) {
        if (!allCommands && !command.has(CommandFlag.NO_AUTH)) {
            int id = index.id(command);
            if (id < 0 || (!allowed.get(id) && !firstArgAllowed(id, command, args))) {
                return new Denial(Denial.Kind.COMMAND, 0);
            }
        }
        if (!allKeys) {
            int denied = AclKeys.firstDenied(command, args, this::keyAllowed);
            if (denied > 0) {
                return new Denial(Denial.Kind.KEY, denied);
            }
        }
        if (!allChannels) {
            int denied = AclKeys.firstDeniedChannel(command, args, this::channelAllowed);
            if (denied > 0) {
                return new Denial(Denial.Kind.CHANNEL, denied);
            }
        }
        return null;
    }
    // end::check[]

    /**
     * Redis's {@code ACLSelectorHasUnrestrictedKeyAccess} for reading: {@code allkeys}, or the pattern {@code *}
     * with read permission ({@code ~*} or {@code %R~*}).
     */
    boolean readsEveryKey() {
        return allKeys || keys.stream().anyMatch(key -> (key.permissions & READ) != 0 && Arrays.equals(key.pattern, new byte[] {'*'}));
    }

    private boolean firstArgAllowed(int id, Command command, byte[][] args) {
        List<String> allowedArgs = firstArgs.get(id);
        int position = index.parent(command) != null ? 2 : 1;
        if (allowedArgs == null || args.length <= position) {
            return false;
        }
        String arg = new String(args[position], StandardCharsets.ISO_8859_1);
        return allowedArgs.stream().anyMatch(arg::equalsIgnoreCase);
    }

    /** Redis's {@code ACLSelectorCheckKey}: a pattern that grants at least the needed permissions matches the key. */
    boolean keyAllowed(byte[] key, int needed) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern pattern : keys) {
            if ((pattern.permissions & needed) == needed && Glob.matches(pattern.pattern, key, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's {@code ACLCheckChannelAgainstList}: a channel must match one of the patterns; a pattern given to
     * PSUBSCRIBE must be one of them, literally, since a pattern cannot be proven to match only allowed channels.
     */
    boolean channelAllowed(byte[] channel, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (byte[] pattern : channels) {
            if (isPattern ? Arrays.equals(pattern, channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** ACL GETUSER's {@code keys}: {@code ~*}, or the patterns separated by spaces. */
    public String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        List<String> rules = new ArrayList<>();
        keys.forEach(k -> rules.add(k.rule()));
        return String.join(" ", rules);
    }

    /** ACL GETUSER's {@code channels}: {@code &*}, or the patterns separated by spaces. */
    public String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        List<String> rules = new ArrayList<>();
        channels.forEach(c -> rules.add("&" + new String(c, StandardCharsets.ISO_8859_1)));
        return String.join(" ", rules);
    }

    /** ACL LIST's part for this selector (Redis's {@code ACLDescribeSelector}): keys, channels, then commands. */
    String describe() {
        StringBuilder out = new StringBuilder();
        if (allKeys) {
            out.append("~* ");
        } else {
            keys.forEach(k -> out.append(k.rule()).append(' '));
        }
        if (allChannels) {
            out.append("&* ");
        } else {
            out.append("resetchannels ");
            channels.forEach(c -> out.append('&').append(new String(c, StandardCharsets.ISO_8859_1)).append(' '));
        }
        return out.append(describeCommands()).toString();
    }

    // tag::describe[]
    /**
     * The shortest-looking rules that rebuild this selector's command bits, as Redis 7.0's
     * {@code ACLDescribeSelectorCommandRules} finds them: start from {@code +@all} or {@code -@all}, then
     * greedily apply the category that agrees with the user on more commands than it disagrees, fewest
     * disagreements first; finally name the single commands still different. A {@code fake} selector replays the
     * emitted rules so the result is checked to rebuild exactly the same bits.
     */
    public String describeCommands() {
        AclSelector fake = new AclSelector(index);
        boolean additive = !futureCommands;
        StringBuilder rules = new StringBuilder(additive ? "-@all " : "+@all ");
        fake.apply(additive ? "-@all" : "+@all");
        BitSet temp = (BitSet) allowed.clone(); // the bits not yet explained by an emitted category
        boolean[] applied = new boolean[AclCategory.values().length];
        AclCategory best;
        while ((best = bestCategory(temp, applied, additive)) != null) {
            String name = best.redisName();
            fake.apply((additive ? "+" : "-") + name);
            applyToBits(temp, best, !additive);
            rules.append(additive ? '+' : '-').append(name).append(' ');
            applied[best.ordinal()] = true;
        }
        for (Command command : index.ordered()) {
            int id = index.id(command);
            boolean userBit = allowed.get(id);
            if (userBit != fake.allowed.get(id)) {
                rules.append(userBit ? '+' : '-').append(command.name()).append(' ');
                fake.change(command, userBit);
            }
            List<String> args = firstArgs.get(id);
            if (!userBit && args != null) {
                args.forEach(arg -> rules.append('+').append(command.name()).append('|').append(arg).append(' '));
            }
        }
        if (!fake.allowed.equals(allowed)) {
            throw new IllegalStateException("ACL rules do not rebuild the user's commands: " + rules);
        }
        return rules.substring(0, rules.length() - 1);
    }
    // end::describe[]

    /**
     * The category not yet applied that agrees with the unexplained bits {@code temp} on more commands than it
     * disagrees (counted over its members: set bits agree when adding, clear bits when removing), the fewest
     * disagreements first, then the most agreements; {@code null} when none does.
     */
    private AclCategory bestCategory(BitSet temp, boolean[] applied, boolean additive) {
        AclCategory best = null;
        long minDiff = Integer.MAX_VALUE;
        long maxSame = 0;
        for (AclCategory category : AclCategory.values()) {
            if (applied[category.ordinal()]) {
                continue;
            }
            BitSet members = index.members(category);
            BitSet on = (BitSet) members.clone();
            on.and(temp);
            long onCount = on.cardinality();
            long offCount = members.cardinality() - onCount;
            long diff = additive ? offCount : onCount;
            long same = additive ? onCount : offCount;
            if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                best = category;
                minDiff = diff;
                maxSame = same;
            }
        }
        return best;
    }

    /** {@link #setCategory} on a bare bit set, for the describe loop's bookkeeping. */
    private void applyToBits(BitSet bits, AclCategory category, boolean allow) {
        BitSet members = index.members(category);
        for (int id = members.nextSetBit(0); id >= 0; id = members.nextSetBit(id + 1)) {
            Command command = index.ordered().get(id);
            bits.set(id, allow);
            for (Command sub : command.subcommands()) {
                bits.set(index.id(sub), allow);
            }
        }
    }
}
