// AUTH and the NOAUTH gate: the default user's password (requirepass), compared in constant time.
package io.port6379.server;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;

import static io.port6379.server.CommandFlag.NO_AUTH;

/**
 * The NOAUTH gate and AUTH, on top of the ACL users of {@link Acl}. As in Redis 7, every connection starts as the
 * {@code default} user, and is authenticated from the start while that user is "nopass" (no {@code requirepass}),
 * so setting a password later does not lock out connections that are already open. Once the default user has a
 * password, a new connection must AUTH before anything but the {@link CommandFlag#NO_AUTH} commands (AUTH, HELLO,
 * QUIT, RESET). The check is Redis's {@code authRequired()}.
 *
 * <p>{@code AUTH password} logs in as {@code default}, {@code AUTH username password} as any enabled user; both
 * compare SHA-256 digests in constant time ({@link AclUser#accepts}). AUTH's arguments are replaced by
 * {@code (redacted)} before the slow log and MONITOR see them, as Redis does. A failed login is recorded in ACL LOG.
 */
final class Authentication {

    static final String NOAUTH = "NOAUTH Authentication required.";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String NO_PASSWORD_CONFIGURED = "ERR AUTH <password> called without any password configured for "
            + "the default user. Are you sure your configuration is correct?";
    static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            + "the RESP protocol version at the same time";

    private static final byte[] DEFAULT_USER = Acl.DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private Authentication() {
    }

    // tag::gate[]
    /** Redis's {@code authRequired()}: a password is set and the client has not authenticated. O(1). */
    static boolean required(Client client) {
        return !client.authenticated() && !passwordFree(client.server());
    }

    /** Whether the default user is enabled and "nopass" (no requirepass): new clients then start authenticated. */
    static boolean passwordFree(ServerContext server) {
        AclUser user = server.acl().defaultUser();
        return user.nopass() && user.enabled();
    }

    /** The error for running {@code command} now, or {@code null}: only NO_AUTH commands pass before AUTH. */
    static String refusal(Client client, Command command) {
        return required(client) && !command.has(NO_AUTH) ? NOAUTH : null;
    }
    // end::gate[]

    // tag::auth[]
    /** AUTH [username] password — logs the connection in as {@code username} (default: {@code default}). */
    static void auth(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw Args.syntaxError();
        }
        if (args.length == 2 && client.server().acl().defaultUser().nopass()) {
            throw new RedisException(NO_PASSWORD_CONFIGURED);
        }
        byte[] username = args.length == 3 ? args[1] : DEFAULT_USER;
        byte[] password = args[args.length - 1];
        redact(args, 1, args.length - 1);
        login(client, args[0], username, password);
        Replies.ok(reply);
    }

    /**
     * AUTH's and HELLO's check: an enabled user and one of its passwords switch the client to that user; anything
     * else is WRONGPASS (which does not say whether the user exists) and an ACL LOG entry.
     */
    static void login(Client client, byte[] commandName, byte[] username, byte[] password) {
        Acl acl = client.server().acl();
        AclUser user = acl.authenticate(Acl.text(username), password);
        if (user == null) {
            acl.log().authFailed(client, commandName, Acl.text(username));
            throw new RedisException(WRONGPASS);
        }
        client.user(user);
        client.authenticated(true);
    }
    // end::auth[]

    /**
     * HELLO without a successful AUTH option is refused. Redis 7.0 logs in as it parses HELLO's options, so
     * {@code HELLO 2 AUTH default pw BADOPTION} answers a syntax error and yet leaves the client logged in.
     */
    static void requireForHello(Client client) {
        if (required(client)) {
            throw new RedisException(HELLO_NOAUTH);
        }
    }

    /** Replaces {@code args[from..to]} so that the slow log and MONITOR never show a password. */
    static void redact(byte[][] args, int from, int to) {
        for (int i = from; i <= to && i < args.length; i++) {
            args[i] = REDACTED;
        }
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    static void registerAll(CommandTable table) {
        table.handle("auth", Authentication::auth);
    }
}
