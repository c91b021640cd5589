// Test helper: a ServerContext without sockets, commands run under the execution lock as a connection runs them.
package io.port6379.server.persistence;

import io.port6379.server.main.Port6379;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** {@code run("SET", "k", "v")} returns the reply as RESP text ({@code "+OK\r\n"}). */
final class InProcessServer {

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final ServerContext server;
    final Client client;
    private final RespWriter reply = new RespWriter();

    InProcessServer(Path dir, String... configArguments) {
        String[] args = new String[configArguments.length + 2];
        args[0] = "--dir";
        args[1] = dir.toString();
        System.arraycopy(configArguments, 0, args, 2, configArguments.length);
        try {
            server = Port6379.context(ServerConfig.fromArguments(args), (Clock) now::get);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = Client.detached(server.nextClientId(), server);
        server.register(client);
    }

    String run(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        server.executionLock().lock();
        try {
            server.execute(client, bytes, reply);
            return new String(reply.toByteArray(), StandardCharsets.ISO_8859_1);
        } finally {
            reply.clear();
            server.executionLock().unlock();
        }
    }

    /** One field of INFO persistence. */
    String info(String field) {
        for (String line : run("INFO", "persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + field);
    }
}
