// Protected mode: with no password set, Redis 7 only talks to clients on the loopback interface.
package io.port6379.server.security;

import io.port6379.server.ServerContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The safety net for a careless {@code bind}. While {@code protected-mode} is {@code yes} and the default user
 * has no password, a client whose address is not loopback receives Redis's {@code -DENIED} explanation and is
 * disconnected before any command is read. Redis 7.0.15 applies it whatever {@code bind} says (checked against a
 * real {@code redis-server --bind 0.0.0.0} and one with the built-in {@code * -::*}), and so do we.
 *
 * <p>Called on the accepting thread; reads the configuration without the execution lock, like {@code maxclients}:
 * a value being changed by CONFIG SET at that very moment is seen either before or after.
 */
public final class ProtectedMode {

    // tag::denied[]
    /** Redis 7.0.15's text, byte for byte (networking.c, {@code clientAcceptHandler}), typo "a an" included. */
    public static final String DENIED = "-DENIED Redis is running in protected mode because protected mode is enabled and "
            + "no password is set for the default user. In this mode connections are only accepted from the "
            + "loopback interface. If you want to connect from external computers to Redis you may adopt one of "
            + "the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET "
            + "protected-mode no' from the loopback interface by connecting to Redis from the same host the server "
            + "is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG "
            + "REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected mode option to 'no', and then "
            + "restarting the server. 3) If you started the server manually just for testing, restart it with the "
            + "'--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You "
            + "only need to do one of the above things in order for the server to start accepting connections from "
            + "the outside.\r\n";
    // end::denied[]

    private ProtectedMode() {
    }

    /** Whether a client connected on {@code socket} must be turned away. */
    public static boolean refuses(ServerContext server, Socket socket) {
        return server.config().flag("protected-mode") && Authentication.passwordFree(server)
                && !isLoopback(socket.getInetAddress().getHostAddress());
    }

    /**
     * Redis 7.0's test in {@code clientAcceptHandler}: the peer's address text is exactly {@code 127.0.0.1} or
     * {@code ::1}. Other 127/8 addresses are loopback too, but Redis 7.0.15 denies them, and so do we.
     */
    static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
    }

    /** Writes the DENIED error and closes, counted in INFO's rejected_connections as Redis counts it. */
    public static void deny(ServerContext server, Socket socket) {
        server.stats().rejectedConnections.incrementAndGet();
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(DENIED.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }
}
