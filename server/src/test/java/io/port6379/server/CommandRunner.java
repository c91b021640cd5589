// Runs commands without a socket: a ServerContext, a detached client, and the reply as RESP text.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.config.ServerConfig;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * The unit-test harness for commands: {@code run("SET", "k", "v")} returns {@code "+OK\r\n"}. Commands go
 * through the same {@link Dispatcher} as over the network (lookup, arity, errors), minus the socket.
 */
public final class CommandRunner {

    final ManualClock clock = new ManualClock();
    public final ServerContext server;
    final Client client;
    private final RespWriter reply = new RespWriter();

    public CommandRunner(String... configArguments) {
        try {
            server = Port6379.context(ServerConfig.fromArguments(configArguments), clock);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        client = newClient();
    }

    public Client newClient() {
        Client c = Client.detached(server.nextClientId(), server);
        server.register(c);
        return c;
    }

    /** Runs one command as {@link #client} and returns its reply, RESP-encoded, one char per byte. */
    public String run(String... args) {
        return runAs(client, args);
    }

    public String runAs(Client as, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        reply.protocolVersion(as.respVersion());
        server.execute(as, bytes, reply);
        String text = new String(reply.toByteArray(), StandardCharsets.ISO_8859_1);
        reply.clear();
        return text;
    }

    /** A bulk string reply's text. */
    public static String bulk(String value) {
        return "$" + value.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + value + "\r\n";
    }

    public static String error(String message) {
        return "-" + message + "\r\n";
    }

    public static String integer(long value) {
        return ":" + value + "\r\n";
    }

    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";
}
