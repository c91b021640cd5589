// The ACL users of a server: who exists, who may log in, and whether a client may run what it sent.
package io.port6379.server.security;

import io.port6379.server.Slot;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.ServerContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Redis 7's access control lists. Every connection runs as a user; it starts as {@code default}, which allows
 * everything and needs no password until {@code requirepass} (or ACL SETUSER) gives it one. {@code AUTH user pass}
 * switches the connection to another user; from then on each command is checked against that user's
 * permissions before it runs ({@link #refusal}).
 *
 * <p>Changing a user changes what its connected clients may do at once, since they refer to the same object:
 * ACL SETUSER copies the staged result into it. Deleting a user disconnects its clients, and taking channels away
 * disconnects its subscribers that listen on them, as Redis 7.0 does. Users are kept sorted by name, as in
 * Redis's radix tree, which is the order of ACL LIST and ACL USERS.
 *
 * <p>Not thread-safe: used under the execution lock.
 */
public final class Acl {

    private static final Slot<Acl> SLOT = Slot.named("acl");
    /** The ACL user a connection runs as; the default user until AUTH or HELLO names another. */
    private static final Slot<AclUser> USER = Slot.named("acl-user");

    public static final String DEFAULT_USER = "default";

    private final ServerContext server;
    private final AclCommandIndex index;
    private final TreeMap<String, AclUser> users = new TreeMap<>();
    private final AclUser defaultUser;
    private final AclLog log = new AclLog();

    private Acl(ServerContext server) {
        this.server = server;
        this.index = new AclCommandIndex(server.commands());
        this.defaultUser = builtInDefaultUser();
        users.put(DEFAULT_USER, defaultUser);
        requirepass(server.config().get("requirepass"));
        log.maxLength(server.config().number("acllog-max-len"));
    }

    /** The default user as a server without ACL settings has it: everything allowed, no password. */
    private AclUser builtInDefaultUser() {
        AclUser user = newUser(DEFAULT_USER);
        for (String rule : List.of("+@all", "~*", "&*", "on", "nopass")) {
            user.apply(rule);
        }
        return user;
    }

    /** A user as ACL SETUSER and the ACL file create it; its channels follow {@code acl-pubsub-default}. */
    private AclUser newUser(String name) {
        return new AclUser(name, index, () -> server.config().get("acl-pubsub-default").equals("allchannels"));
    }

    /**
     * Redis's {@code ACLLoadUsersAtStartup}: the {@code user} lines of the configuration, or the {@code aclfile},
     * never both. A bad rule or file stops the start-up.
     *
     * @throws IllegalArgumentException with the line Redis logs before exiting
     */
    private void loadAtStartup() {
        List<List<String>> configured = server.config().userDirectives();
        String aclFile = server.config().get("aclfile");
        if (!configured.isEmpty() && !aclFile.isEmpty()) {
            throw new IllegalArgumentException("Configuring Redis with users defined in redis.conf and at the same setting "
                    + "an ACL file path is invalid. This setup is very likely to lead to configuration errors and security "
                    + "holes, please define either an ACL file or declare users directly in your redis.conf, but not both.");
        }
        for (List<String> words : configured) {
            String name = words.getFirst();
            AclUser user = name.equals(DEFAULT_USER) ? defaultUser : users.computeIfAbsent(name, this::newUser);
            List<String> rules = new ArrayList<>(name.equals(DEFAULT_USER) ? List.of("reset") : List.of());
            rules.addAll(words.subList(1, words.size()));
            try {
                for (String rule : mergeSelectors(rules)) {
                    try {
                        user.apply(rule);
                    } catch (AclUser.InvalidRule e) {
                        throw new IllegalArgumentException("Error loading ACL rule '" + rule + "' for the user named '"
                                + name + "': " + e.getMessage() + "\nCritical error while loading ACLs. Exiting.");
                    }
                }
            } catch (AclUser.InvalidRule unmatched) {
                throw new IllegalArgumentException(unmatched.getMessage().substring(4) + "\nCritical error while loading ACLs. Exiting.");
            }
        }
        if (!aclFile.isEmpty()) {
            try {
                load(null);
            } catch (AclUser.InvalidRule e) {
                throw new IllegalArgumentException("Aborting Redis startup because of ACL errors: " + e.getMessage());
            }
        }
    }

    /**
     * ACL LOAD: the users of the ACL file replace all users, or, when the file has any error, nothing changes.
     * Clients authenticated as a user other than default are disconnected, as Redis frees every old user.
     *
     * @throws AclUser.InvalidRule with Redis's error text, without {@code ERR }
     */
    public void load(Client caller) {
        TreeMap<String, AclUser> loaded = AclFile.read(server.config().get("aclfile"), this::newUser);
        AclUser newDefault = loaded.containsKey(DEFAULT_USER) ? loaded.get(DEFAULT_USER) : builtInDefaultUser();
        List<String> previous = users.keySet().stream().filter(name -> !name.equals(DEFAULT_USER)).toList();
        deleteUsers(caller, previous);
        defaultUser.copyFrom(newDefault);
        loaded.put(DEFAULT_USER, defaultUser);
        users.clear();
        users.putAll(loaded);
        disconnectSubscribersWithoutPermission(caller, defaultUser);
    }

    /** ACL SAVE: every user to the ACL file. */
    public void save() throws java.io.IOException {
        AclFile.write(server.config().get("aclfile"), users.values());
    }

    /** The users as {@code user} directives, for CONFIG REWRITE. */
    public List<String> userDirectives() {
        return users.values().stream().map(AclUser::describe).toList();
    }

    /** The server's ACL users, as the composition root installed them. */
    public static Acl of(ServerContext server) {
        return server.get(SLOT);
    }

    /** @throws IllegalArgumentException when the configured users or the ACL file cannot be loaded */
    public static void install(ServerContext server) {
        Acl acl = new Acl(server);
        server.set(SLOT, acl);
        acl.loadAtStartup();
    }

    /** The ACL user whose permissions apply to this connection's commands. */
    public static AclUser user(Client client) {
        return client.get(USER);
    }

    public static void user(Client client, AclUser user) {
        client.set(USER, user);
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    public AclCommandIndex index() {
        return index;
    }

    public AclLog log() {
        return log;
    }

    /** The user called {@code name}, or {@code null}. O(log(users)). */
    public AclUser user(String name) {
        return users.get(name);
    }

    /** Every user, sorted by name. */
    public Collection<AclUser> users() {
        return users.values();
    }

    /**
     * {@code requirepass} is the default user's password, as in Redis: setting it replaces the default user's
     * passwords with this one; setting it to the empty string makes the user "nopass" again.
     */
    public void requirepass(String password) {
        defaultUser.apply("resetpass");
        defaultUser.apply(password.isEmpty() ? "nopass" : ">" + password);
    }

    // tag::refusal[]
    /**
     * The NOPERM error for running {@code command} as the client's user, or {@code null} when it is allowed.
     * For a user that may do everything (the default user unless restricted) this is one field read.
     */
    public static String refusal(Client client, Command command, byte[][] args) {
        AclSelector.Denial denial = denial(client, command, args);
        if (denial == null) {
            return null;
        }
        return switch (denial.kind()) {
            case COMMAND -> "NOPERM this user has no permissions to run the '" + command.name() + "' command";
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
        };
    }

    /** Why the client's user may not run {@code command}, written to the ACL LOG; {@code null} when it may. */
    private static AclSelector.Denial denial(Client client, Command command, byte[][] args) {
        AclUser user = user(client);
        if (user.unrestricted()) {
            return null;
        }
        AclSelector.Denial denial = user.check(command, args);
        if (denial != null) {
            Acl.of(client.server()).log.denied(client, denial, command, args);
        }
        return denial;
    }
    // end::refusal[]

    /**
     * EXEC checks each queued command again, as Redis does, since the user's rules may have changed after MULTI;
     * a command refused now gets this error inside EXEC's reply and does not run. {@code null} when allowed.
     */
    public static String refusalAtExec(Client client, Command command, byte[][] args) {
        AclSelector.Denial denial = denial(client, command, args);
        if (denial == null) {
            return null;
        }
        String reason = switch (denial.kind()) {
            case COMMAND -> "no permission to execute the command or subcommand";
            case KEY -> "no permission to touch the specified keys";
            case CHANNEL -> "no permission to access one of the channels used as arguments";
        };
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason;
    }

    /** The user {@code username} if it is enabled and {@code password} is one of its passwords. */
    AclUser authenticate(String username, byte[] password) {
        AclUser user = users.get(username);
        return user != null && user.accepts(password) ? user : null;
    }

    // tag::setuser[]
    /**
     * ACL SETUSER: the rules are applied in order to a copy of the user (a new user when there is none), and only
     * when all of them are valid does the copy replace the user, so a bad rule changes nothing. Subscribers of
     * the user that lose a channel are disconnected.
     *
     * @throws AclUser.InvalidRule with Redis's full error text
     */
    public void setUser(Client caller, String name, List<String> rules) {
        AclUser existing = users.get(name);
        AclUser staged = existing == null ? newUser(name) : existing.copy();
        for (String rule : mergeSelectors(rules)) {
            try {
                staged.apply(rule);
            } catch (AclUser.InvalidRule e) {
                throw new AclUser.InvalidRule("ERR Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage());
            }
        }
        if (existing == null) {
            users.put(name, staged);
        } else {
            existing.copyFrom(staged);
            disconnectSubscribersWithoutPermission(caller, existing);
        }
    }
    // end::setuser[]

    /**
     * Redis's {@code ACLMergeSelectorArguments}: a selector may span arguments, {@code (~b*} {@code +get)}, which
     * are joined with spaces into one rule. In 7.0 an argument that opens a selector starts it again even inside an
     * open one: {@code (} {@code ( (~b*} {@code +get)} is the rule {@code ( (~b* +get)}, the first {@code (} dropped.
     */
    static List<String> mergeSelectors(List<String> rules) {
        List<String> merged = new ArrayList<>();
        StringBuilder open = null;
        String openedBy = null;
        for (String rule : rules) {
            if (rule.startsWith("(") && !rule.endsWith(")")) {
                open = new StringBuilder(rule);
                openedBy = rule;
            } else if (open != null) {
                open.append(' ').append(rule);
                if (rule.endsWith(")")) {
                    merged.add(open.toString());
                    open = null;
                }
            } else {
                merged.add(rule);
            }
        }
        if (open != null) {
            throw new AclUser.InvalidRule("ERR Unmatched parenthesis in acl selector starting at '" + openedBy + "'.");
        }
        return merged;
    }

    /** ACL DELUSER: removes the users that exist and disconnects their clients; returns how many were removed. */
    public int deleteUsers(Client caller, List<String> names) {
        int deleted = 0;
        for (String name : names) {
            AclUser user = users.remove(name);
            if (user != null) {
                deleted++;
                for (Client client : clientsOf(user)) {
                    Acl.user(client, defaultUser);
                    client.authenticated(false);
                    disconnect(caller, client);
                }
            }
        }
        return deleted;
    }

    /** Redis's {@code ACLKillPubsubClientsIfNeeded}: a subscriber on a channel its user may no longer use goes. */
    private void disconnectSubscribersWithoutPermission(Client caller, AclUser user) {
        List<AclSelector> all = new ArrayList<>(user.selectors());
        all.add(user.selector());
        if (all.stream().anyMatch(AclSelector::allChannels)) {
            return;
        }
        for (Client client : clientsOf(user)) {
            if (client.isSubscribed() && !mayKeepSubscriptions(client, all)) {
                disconnect(caller, client);
            }
        }
    }

    /** Every channel and pattern the client listens on is allowed by one of the selectors. */
    private static boolean mayKeepSubscriptions(Client client, List<AclSelector> selectors) {
        return client.server().subscriptions().allAllowed(client,
                (name, pattern) -> selectors.stream().anyMatch(s -> s.channelAllowed(name, pattern)));
    }

    private List<Client> clientsOf(AclUser user) {
        List<Client> clients = new ArrayList<>();
        for (Client client : server.clients()) {
            if (Acl.user(client) == user) {
                clients.add(client);
            }
        }
        return clients;
    }

    /** The client running the current command still gets its reply; any other is closed now. */
    private static void disconnect(Client caller, Client client) {
        if (client == caller) {
            client.closeAfterReply();
        } else {
            client.kill();
        }
    }

    /** An argument as text, one char per byte, so that binary names and patterns survive the round trip. */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a name or rule kept by {@link #text}. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
