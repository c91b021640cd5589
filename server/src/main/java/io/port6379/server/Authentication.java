// AUTH and the NOAUTH gate: the default user's password (requirepass), compared in constant time.
package io.port6379.server;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import static io.port6379.server.AclCategory.CONNECTION;
import static io.port6379.server.CommandFlag.ALLOW_BUSY;
import static io.port6379.server.CommandFlag.FAST;
import static io.port6379.server.CommandFlag.LOADING;
import static io.port6379.server.CommandFlag.NOSCRIPT;
import static io.port6379.server.CommandFlag.NO_AUTH;
import static io.port6379.server.CommandFlag.STALE;

/**
 * Redis 7's model with one user, {@code default}: while {@code requirepass} is empty the user is "nopass" and
 * every client is authenticated from the start (so setting a password later does not lock out connections that
 * are already open, exactly as in Redis); once a password is set, a new connection must AUTH before anything but
 * the {@link CommandFlag#NO_AUTH} commands (AUTH, HELLO, QUIT, RESET). The check is Redis's {@code authRequired()}:
 * a password is set and this client has not given it.
 *
 * <p>Passwords are compared as SHA-256 digests with {@link MessageDigest#isEqual}, whose time does not depend on
 * where the inputs differ, so a network attacker cannot guess the password one byte at a time by timing replies;
 * comparing digests also hides the password's length. AUTH's arguments are replaced by {@code (redacted)} before
 * the slow log and MONITOR see them, as Redis does.
 */
final class Authentication {

    static final String NOAUTH = "NOAUTH Authentication required.";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String NO_PASSWORD_CONFIGURED = "ERR AUTH <password> called without any password configured for "
            + "the default user. Are you sure your configuration is correct?";
    static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            + "the RESP protocol version at the same time";

    private static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private Authentication() {
    }

    static void registerAll(CommandTable table) {
        table.register(Command.named("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl(CONNECTION)
                .doc("Authenticate to the server", "1.0.0", "connection",
                        "O(N) where N is the number of passwords defined for the user")
                .handler(Authentication::auth));
    }

    // tag::gate[]
    /** Redis's {@code authRequired()}: a password is set and the client has not authenticated. O(1). */
    static boolean required(Client client) {
        return !client.authenticated() && !passwordFree(client.server());
    }

    /** Whether the default user is "nopass": no requirepass. New clients then start authenticated. */
    static boolean passwordFree(ServerContext server) {
        return server.config().get("requirepass").isEmpty();
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
        if (args.length == 2 && passwordFree(client.server())) {
            throw new RedisException(NO_PASSWORD_CONFIGURED);
        }
        byte[] username = args.length == 3 ? args[1] : DEFAULT_USER;
        byte[] password = args[args.length - 1];
        redact(args, 1, args.length - 1);
        login(client, username, password);
        Replies.ok(reply);
    }

    /** AUTH's and HELLO's check: the right user and password authenticate the client, anything else is WRONGPASS. */
    static void login(Client client, byte[] username, byte[] password) {
        String required = client.server().config().get("requirepass");
        boolean valid = Arrays.equals(username, DEFAULT_USER)
                && (required.isEmpty() || MessageDigest.isEqual(sha256(required.getBytes(StandardCharsets.ISO_8859_1)),
                sha256(password)));
        if (!valid) {
            throw new RedisException(WRONGPASS);
        }
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

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
