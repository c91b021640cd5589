// Every command the server knows, by name, and the dispatch rules Redis applies before running one.
package io.port6379.server;

import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Looks up a command by its case-insensitive name, checks its arity and runs it. The errors are Redis's,
 * word for word, because clients and tests match on them.
 */
public final class CommandTable {

    private final Map<String, Command> commands = new HashMap<>();

    public CommandTable register(Command command) {
        commands.put(command.name(), command);
        return this;
    }

    public Command lookup(String name) {
        return commands.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<Command> all() {
        return commands.values();
    }

    // tag::dispatch[]
    /** Runs one command and writes its single reply, or Redis's error when it cannot be run. */
    public void dispatch(Client client, byte[][] args, RespWriter reply) {
        String name = new String(args[0], StandardCharsets.UTF_8);
        Command command = lookup(name);
        if (command == null) {
            reply.error(unknownCommandError(name, args));
        } else if (!command.acceptsArgumentCount(args.length)) {
            reply.error("ERR wrong number of arguments for '" + command.name() + "' command");
        } else {
            command.handler().execute(client, args, reply);
        }
    }
    // end::dispatch[]

    /**
     * Redis's text for an unknown command: the name (at most 128 characters) and the first arguments, each
     * quoted and followed by a space, until 128 characters are listed. Line breaks become spaces so the
     * error stays one line.
     */
    static String unknownCommandError(String name, byte[][] args) {
        StringBuilder listed = new StringBuilder();
        for (int i = 1; i < args.length && listed.length() < 128; i++) {
            String arg = new String(args[i], StandardCharsets.UTF_8);
            int room = 128 - listed.length();
            listed.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        String shownName = name.length() > 128 ? name.substring(0, 128) : name;
        String message = "ERR unknown command '" + shownName + "', with args beginning with: " + listed;
        return message.replace('\r', ' ').replace('\n', ' ');
    }
}
