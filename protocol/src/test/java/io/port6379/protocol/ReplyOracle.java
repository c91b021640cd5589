// Test helper: the exact reply redis-server 7.0.15 gives to the few commands the live tests send.
package io.port6379.protocol;

import java.util.List;
import java.util.Locale;

/**
 * What Redis answers to PING, ECHO, AUTH before authentication, and any unknown command. Live tests choose their
 * commands from these, so that the replies Redis sends reveal exactly which arguments it decoded.
 */
final class ReplyOracle {

    private ReplyOracle() {
    }

    /** The reply, one char per byte, for an authenticated client. */
    static String reply(List<String> command) {
        String name = command.getFirst().toLowerCase(Locale.ROOT);
        int argc = command.size();
        if (name.equals("ping")) {
            return switch (argc) {
                case 1 -> "+PONG\r\n";
                case 2 -> bulk(command.get(1));
                default -> "-ERR wrong number of arguments for 'ping' command\r\n";
            };
        }
        if (name.equals("echo")) {
            return argc == 2 ? bulk(command.get(1)) : "-ERR wrong number of arguments for 'echo' command\r\n";
        }
        return unknownCommand(command);
    }

    /**
     * Redis's processCommand: {@code unknown command '%.128s', with args beginning with: } and each argument as
     * {@code '%.*s' } while the list is under 128 characters; then, like every formatted error, CR and LF become
     * spaces.
     */
    private static String unknownCommand(List<String> command) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < command.size() && args.length() < 128; i++) {
            String arg = command.get(i);
            args.append('\'').append(arg, 0, Math.min(arg.length(), 128 - args.length())).append("' ");
        }
        String name = command.getFirst();
        String message = "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
                + "', with args beginning with: " + args;
        return "-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n";
    }

    private static String bulk(String value) {
        return "$" + value.length() + "\r\n" + value + "\r\n";
    }
}
