// The server's log: Redis's line format on standard output, one place for every part of the server to write to.
package io.port6379.server.util;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes {@code pid:M 07 Dec 2026 10:00:00.000 # message} lines, as Redis's {@code serverLog} does. The level is
 * Redis's mark: {@code .} debug, {@code -} verbose, {@code *} notice, {@code #} warning.
 */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);

    private Log() {
    }

    public static void log(String level, String message) {
        System.out.printf("%d:M %s %s %s%n", ProcessHandle.current().pid(), TIME.format(LocalDateTime.now()), level, message);
    }
}
