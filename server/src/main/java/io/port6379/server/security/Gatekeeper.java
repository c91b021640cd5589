// Security as the kernel sees it: who is served at all, who must still log in, and who may run what.
package io.port6379.server.security;

import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;

import java.net.Socket;

/**
 * The checks Redis makes in {@code acceptTcpHandler} (protected mode) and {@code processCommand} (authentication
 * first, then the ACL), in that order; each lives with its state: {@link ProtectedMode}, {@link Authentication},
 * {@link Acl}.
 */
public final class Gatekeeper implements Concerns.Security {

    private final ServerContext server;

    public Gatekeeper(ServerContext server) {
        this.server = server;
    }

    @Override
    public void connected(Client client) {
        Acl.user(client, Acl.of(server).defaultUser());
        client.authenticated(Authentication.passwordFree(server));
    }

    @Override
    public boolean authRequired(Client client) {
        return Authentication.required(client);
    }

    @Override
    public String refusal(Client client, Command command, byte[][] args) {
        String refusal = Authentication.refusal(client, command);
        return refusal != null ? refusal : Acl.refusal(client, command, args);
    }

    @Override
    public void runAs(Client scriptClient, Client caller) {
        Acl.user(scriptClient, Acl.user(caller));
        scriptClient.authenticated(true);
    }

    @Override
    public boolean admits(Socket socket) {
        if (ProtectedMode.refuses(server, socket)) {
            ProtectedMode.deny(server, socket);
            return false;
        }
        return true;
    }

    @Override
    public String userName(Client client) {
        return Acl.user(client).name();
    }
}
