// What every command is: a function from a client's arguments to a reply, testable without a socket.
package io.port6379.server;

import io.port6379.protocol.RespWriter;

/**
 * The body of one command. {@code args[0]} is the command name as the client sent it; the handler writes
 * exactly one reply to {@code reply}. Handlers run one at a time (see {@code network.RedisServer}), so they may read
 * and change shared state without further locking.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] args, RespWriter reply);
}
