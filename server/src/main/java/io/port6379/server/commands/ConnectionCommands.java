// The connection family: commands about the client's own connection rather than about data.
package io.port6379.server.commands;

import io.port6379.server.cluster.Cluster;
import io.port6379.server.security.Acl;
import io.port6379.server.util.RedisVersion;
import io.port6379.server.util.Args;
import io.port6379.server.security.Authentication;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
/** PING, ECHO, QUIT, RESET, HELLO and SELECT. CLIENT has a class of its own, {@link ClientCommands}. */
public final class ConnectionCommands {

    private ConnectionCommands() {
    }

    // tag::ping[]
    /**
     * PING [message] — {@code +PONG}, or the message back as a bulk string. A subscribed RESP2 client gets
     * {@code pong} and the message (empty by default) as a two-element array, the shape of its messages.
     */
    static void ping(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 2) {
            throw new RedisException("ERR wrong number of arguments for 'ping' command"); // counted as a failed call
        } else if (client.isSubscribed() && client.respVersion() == 2) {
            reply.arrayHeader(2).bulkString("pong").bulkString(args.length == 2 ? args[1] : new byte[0]);
        } else if (args.length == 2) {
            reply.bulkString(args[1]);
        } else {
            reply.simpleString("PONG");
        }
    }
    // end::ping[]

    /** ECHO message — the message back as a bulk string. */
    static void echo(Client client, byte[][] args, RespWriter reply) {
        reply.bulkString(args[1]);
    }

    /** QUIT — {@code +OK}, then the server closes the connection. */
    static void quit(Client client, byte[][] args, RespWriter reply) {
        reply.simpleString("OK");
        client.closeAfterReply();
    }

    /** RESET — the connection as if just opened: database 0, RESP2, no name, replies on, out of MONITOR. */
    static void reset(Client client, byte[][] args, RespWriter reply) {
        client.server().removeMonitor(client);
        client.reset();
        reply.protocolVersion(2);
        reply.simpleString("RESET");
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]] — switches protocol, answers a map about the server. */
    // tag::hello[]
    static void hello(Client client, byte[][] args, RespWriter reply) {
        int version = client.respVersion();
        if (args.length >= 2) {
            long requested;
            try {
                requested = Args.parseLong(args[1]);
            } catch (RedisException e) {
                throw new RedisException("ERR Protocol version is not an integer or out of range");
            }
            if (requested < 2 || requested > 3) {
                throw new RedisException("NOPROTO unsupported protocol version");
            }
            version = (int) requested;
        }
        String name = null;
        for (int i = 2; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            if (Args.is(args[i], "auth") && i + 2 < args.length) {
                byte[] username = args[i + 1];
                byte[] password = args[i + 2];
                Authentication.redact(args, i + 1, i + 2); // before the login, which may fail: MONITOR sees it either way
                Authentication.login(client, args[0], username, password);
                i += 2;
            } else if (Args.is(args[i], "setname") && hasValue) {
                name = ClientCommands.checkedName(args[++i]);
            } else {
                throw new RedisException("ERR Syntax error in HELLO option '" + Args.text(args[i]) + "'");
            }
        }
        Authentication.requireForHello(client);
        if (name != null) {
            client.name(name);
        }
        client.respVersion(version);
        reply.protocolVersion(version);
        reply.mapHeader(7);
        reply.bulkString("server").bulkString("redis");
        reply.bulkString("version").bulkString(RedisVersion.REDIS_VERSION);
        reply.bulkString("proto").integer(version);
        reply.bulkString("id").integer(client.id());
        reply.bulkString("mode").bulkString(Cluster.enabled(client.server()) ? "cluster" : "standalone");
        reply.bulkString("role").bulkString("master");
        reply.bulkString("modules").arrayHeader(0);
    }
    // end::hello[]

    /** SELECT index — switches this connection to another of the numbered databases. */
    static void select(Client client, byte[][] args, RespWriter reply) {
        long index = Args.parseLong(args[1]);
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw new RedisException("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        if (index != 0 && Cluster.enabled(client.server())) {
            throw new RedisException("ERR SELECT is not allowed in cluster mode");
        }
        if (!client.server().databases().isValid(index)) {
            throw new RedisException("ERR DB index is out of range");
        }
        client.select((int) index);
        Replies.ok(reply);
    }

    // tag::auth[]
    /** AUTH [username] password — logs the connection in as {@code username} (default: {@code default}). */
    static void auth(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw Args.syntaxError();
        }
        byte[] username = args.length == 3 ? args[1] : Acl.DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
        byte[] password = args[args.length - 1];
        Authentication.redact(args, 1, args.length - 1); // even when refused below, as Redis: MONITOR and SLOWLOG show it
        if (args.length == 2 && Acl.of(client.server()).defaultUser().nopass()) {
            throw new RedisException(Authentication.NO_PASSWORD_CONFIGURED);
        }
        Authentication.login(client, args[0], username, password);
        Replies.ok(reply);
    }
    // end::auth[]

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("auth", ConnectionCommands::auth);
        table.handle("ping", ConnectionCommands::ping);
        table.handle("echo", ConnectionCommands::echo);
        table.handle("quit", ConnectionCommands::quit);
        table.handle("reset", ConnectionCommands::reset);
        table.handle("hello", ConnectionCommands::hello);
        table.handle("select", ConnectionCommands::select);
    }
}
