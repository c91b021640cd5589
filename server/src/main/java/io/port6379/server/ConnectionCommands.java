// The connection family: commands about the client's own connection rather than about data.
package io.port6379.server;

import io.port6379.protocol.RespWriter;

import java.util.Set;

/** PING, ECHO and QUIT. */
final class ConnectionCommands {

    private ConnectionCommands() {
    }

    static void registerAll(CommandTable table) {
        table.register(new Command("ping", -1, Set.of("fast", "sentinel"), 0, 0, 0, ConnectionCommands::ping));
        table.register(new Command("echo", 2, Set.of("fast"), 0, 0, 0, ConnectionCommands::echo));
        table.register(new Command("quit", -1, Set.of("allow_busy", "noscript", "loading", "stale", "fast", "no_auth"), 0, 0, 0, ConnectionCommands::quit));
    }

    // tag::ping[]
    /** PING [message] — {@code +PONG}, or the message back as a bulk string. */
    static void ping(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 2) {
            reply.error("ERR wrong number of arguments for 'ping' command");
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
}
