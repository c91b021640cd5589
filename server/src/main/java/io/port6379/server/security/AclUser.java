// One ACL user: its name, on/off, passwords (as SHA-256 hashes) and permissions.
package io.port6379.server.security;

import io.port6379.protocol.InlineParser;
import io.port6379.server.Command;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A user as Redis 7.0 keeps it ({@code struct user}): flags, a list of password hashes, and permissions: a root
 * {@link AclSelector} and any further selectors added with {@code (...)}. Rules change it one at a time ({@link #apply}), in the order ACL SETUSER gives them, so
 * {@code >a nopass} leaves no password and {@code nopass >a} leaves one.
 *
 * <p>Passwords are stored as the hex SHA-256 of the password, never in clear, so ACL LIST and ACL GETUSER can
 * show them; a login hashes what the client sent and compares hashes in constant time.
 *
 * <p>Not thread-safe: changed and read under the execution lock. {@link #unrestricted()} is a plain field so
 * that the per-command check for the default user costs one read.
 */
public final class AclUser {

    /** A rule ACL SETUSER cannot apply; the message is Redis's reason, quoted after the rule in the error. */
    public static final class InvalidRule extends RuntimeException {
        static final String UNKNOWN = "Unknown command or category name in ACL";
        static final String SYNTAX = "Syntax error";
        static final String KEYS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not "
                + "valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
        static final String CHANNELS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allchannels' flag) "
                + "is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
        static final String NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
        static final String BAD_HASH = "The password hash must be exactly 64 characters and contain only "
                + "lowercase hexadecimal characters";
        static final String FIRST_ARG_OF_SUBCOMMAND = "Allowing first-arg of a subcommand is not supported";

        InvalidRule(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Redis's payload-sanitizing flags: neither, {@code sanitize-payload}, or {@code skip-sanitize-payload}. */
    private enum Sanitize { UNSET, SANITIZE, SKIP }

    /** {@code skip-sanitize-payload}: with sanitize-dump-payload {@code clients}, this user's RESTOREs are not sanitized. */
    public boolean skipsSanitization() {
        return sanitize == Sanitize.SKIP;
    }

    private final String name;
    private boolean enabled;
    private boolean nopass;
    private Sanitize sanitize = Sanitize.UNSET;
    private final List<String> passwords = new ArrayList<>();
    private AclSelector selector;
    private final List<AclSelector> selectors = new ArrayList<>(); // Redis 7's extra selectors, (~k +get)
    private final AclCommandIndex index;
    private boolean unrestricted;
    private final BooleanSupplier allChannelsByDefault;

    /** A new user as ACL SETUSER creates it: off, no password, no command, no key, no channel. */
    AclUser(String name, AclCommandIndex index) {
        this(name, index, () -> false);
    }

    /**
     * A new user whose selectors start with every channel when {@code allChannelsByDefault} says so at the
     * time: {@code acl-pubsub-default allchannels}, read when a selector is made and at {@code reset}, as Redis does.
     */
    AclUser(String name, AclCommandIndex index, BooleanSupplier allChannelsByDefault) {
        this.name = name;
        this.index = index;
        this.allChannelsByDefault = allChannelsByDefault;
        this.selector = newSelector();
    }

    private AclSelector newSelector() {
        AclSelector created = new AclSelector(index);
        if (allChannelsByDefault.getAsBoolean()) {
            created.apply("allchannels");
        }
        return created;
    }

    public String name() {
        return name;
    }

    boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** Everything allowed: the permission check is skipped. O(1). */
    public boolean unrestricted() {
        return unrestricted;
    }

    public AclSelector selector() {
        return selector;
    }

    /** A detached copy to stage ACL SETUSER's rules on. */
    AclUser copy() {
        AclUser copy = new AclUser(name, index, allChannelsByDefault);
        copy.copyFrom(this);
        return copy;
    }

    /** Takes over every setting of {@code other} (Redis's {@code ACLCopyUser}); the name stays. */
    void copyFrom(AclUser other) {
        enabled = other.enabled;
        nopass = other.nopass;
        sanitize = other.sanitize;
        passwords.clear();
        passwords.addAll(other.passwords);
        selector = other.selector.copy();
        selectors.clear();
        other.selectors.forEach(s -> selectors.add(s.copy()));
        unrestricted = other.unrestricted;
    }

    // tag::apply[]
    /** Applies one ACL SETUSER rule (Redis's {@code ACLSetUser}); an {@link InvalidRule} leaves a partial change. */
    void apply(String op) {
        if (op.equalsIgnoreCase("on")) {
            enabled = true;
        } else if (op.equalsIgnoreCase("off")) {
            enabled = false;
        } else if (op.equalsIgnoreCase("skip-sanitize-payload")) {
            sanitize = Sanitize.SKIP;
        } else if (op.equalsIgnoreCase("sanitize-payload")) {
            sanitize = Sanitize.SANITIZE;
        } else if (op.equalsIgnoreCase("nopass")) {
            nopass = true;
            passwords.clear();
        } else if (op.equalsIgnoreCase("resetpass")) {
            nopass = false;
            passwords.clear();
        } else if (op.startsWith(">") || op.startsWith("#")) {
            String hash = op.startsWith(">") ? hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1)) : checkedHash(op);
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            nopass = false;
        } else if (op.startsWith("<") || op.startsWith("!")) {
            String hash = op.startsWith("<") ? hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1)) : checkedHash(op);
            if (!passwords.remove(hash)) {
                throw new InvalidRule(InvalidRule.NO_SUCH_PASSWORD);
            }
        } else if (op.length() > 1 && op.startsWith("(") && op.endsWith(")")) {
            selectors.add(selectorOf(op.substring(1, op.length() - 1)));
        } else if (op.equalsIgnoreCase("clearselectors")) {
            selectors.clear();
        } else if (op.equalsIgnoreCase("reset")) {
            for (String rule : List.of("resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload",
                    "clearselectors", "-@all")) {
                apply(rule);
                if (rule.equals("resetchannels") && allChannelsByDefault.getAsBoolean()) {
                    apply("allchannels");
                }
            }
        } else {
            selector.apply(op);
        }
        unrestricted = selector.unrestricted();
    }
    // end::apply[]

    /**
     * A selector, {@code (~b* +get)}: its own commands, keys and channels, starting from nothing. A command is
     * allowed when the root selector or any of these allows it.
     */
    private AclSelector selectorOf(String rules) {
        AclSelector extra = newSelector();
        byte[][] words = InlineParser.splitArgs(Acl.bytes(rules)); // quotes as Redis: (~'a b' +get) is two rules
        if (words == null) {
            throw new InvalidRule(InvalidRule.SYNTAX);
        }
        for (byte[] rule : words) {
            extra.apply(Acl.text(rule));
        }
        return extra;
    }

    /** The extra selectors, in the order they were added. */
    public List<AclSelector> selectors() {
        return selectors;
    }

    // tag::check[]
    /**
     * Redis's {@code ACLCheckAllUserCommandPerm}: allowed when any selector allows. Otherwise the most telling
     * refusal: a key or channel refused by every selector outranks a command none allows, and a later argument
     * outranks an earlier one. {@code null} when allowed.
     */
    public AclSelector.Denial check(Command command, byte[][] args) {
        AclSelector.Denial relevant = selector.check(command, args);
        for (int i = 0; relevant != null && i < selectors.size(); i++) {
            AclSelector.Denial denial = selectors.get(i).check(command, args);
            if (denial == null) {
                return null;
            }
            if (denial.kind().compareTo(relevant.kind()) > 0
                    || (denial.kind() == relevant.kind() && denial.argument() > relevant.argument())) {
                relevant = denial;
            }
        }
        return relevant;
    }
    // end::check[]

    /**
     * Redis's {@code ACLUserCheckCmdWithUnrestrictedKeyAccess}: some selector allows the call and may read every
     * key. SORT asks it before using BY and GET patterns, whose keys no key check sees in advance.
     */
    public boolean readsEveryKey(Command command, byte[][] args) {
        if (selector.check(command, args) == null && selector.readsEveryKey()) {
            return true;
        }
        return selectors.stream().anyMatch(extra -> extra.check(command, args) == null && extra.readsEveryKey());
    }

    /** {@code #<hash>} and {@code !<hash>} take a hash as ACL LIST shows it: 64 lower-case hex digits. */
    private static String checkedHash(String op) {
        String hash = op.substring(1);
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidRule(InvalidRule.BAD_HASH);
        }
        return hash;
    }

    // tag::password[]
    /**
     * Redis's {@code ACLCheckUserCredentials}: an enabled user, and either nopass or a password whose hash is one
     * of the user's. Every stored hash is compared, each with {@link MessageDigest#isEqual} (constant time), so
     * the reply time tells nothing about which bytes were right.
     */
    boolean accepts(byte[] password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String stored : passwords) {
            match |= MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), given);
        }
        return match;
    }
    // end::password[]

    /** The hex SHA-256 of {@code password}, as Redis's {@code ACLHashPassword}. */
    public static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The flags as ACL GETUSER lists them, in Redis's order. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>();
        flags.add(enabled ? "on" : "off");
        if (nopass) {
            flags.add("nopass");
        }
        if (sanitize == Sanitize.SKIP) {
            flags.add("skip-sanitize-payload");
        } else if (sanitize == Sanitize.SANITIZE) {
            flags.add("sanitize-payload");
        }
        return flags;
    }

    public List<String> passwords() {
        return passwords;
    }

    /** The user's line in ACL LIST, which ACL SETUSER would turn back into this user (Redis's {@code ACLDescribeUser}). */
    public String describe() {
        StringBuilder out = new StringBuilder("user ").append(name).append(' ');
        flags().forEach(flag -> out.append(flag).append(' '));
        passwords.forEach(hash -> out.append('#').append(hash).append(' '));
        out.append(selector.describe());
        selectors.forEach(extra -> out.append(" (").append(extra.describe()).append(')'));
        return out.toString();
    }
}
