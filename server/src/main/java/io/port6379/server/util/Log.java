// The server's log: Redis's line format on standard output for the server process, a System.Logger when embedded.
package io.port6379.server.util;

import java.time.LocalDateTime;

/**
 * Every part of the server writes here, with Redis's level marks: {@code .} debug, {@code -} verbose,
 * {@code *} notice, {@code #} warning.
 *
 * <p>Run as a process ({@code Main}), the server writes {@code pid:M 07 Dec 2026 10:00:00.000 # message} lines to
 * standard output, as Redis's {@code serverLog} does, so that scripts reading Redis's log read ours. Started inside
 * another program (the embedding API, a test), it must not write to that program's standard output: the lines go to
 * the {@link System.Logger} named {@value #LOGGER_NAME}, notices at {@code DEBUG} and warnings at {@code WARNING},
 * where the host's logging configuration decides what is shown. The choice belongs to the process, not to one
 * server, which is why it is the one switch here that is not per server.
 */
public final class Log {

    /** The logger embedded servers write to. */
    public static final String LOGGER_NAME = "io.port6379.server";

    /**
     * The month as {@code dd MMM yyyy} writes it in the root locale. The line is put together by hand rather than
     * with a {@code DateTimeFormatter} and {@code printf}: those load the locale data and parse their patterns in the
     * interpreter, some 20 ms of every start-up before the first line is out (chapter 15).
     */
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
        "Dec"};
    private static volatile boolean standardOutput;
    /** Redis's role mark after the pid: {@code M} for a master, {@code S} for a replica. */
    private static volatile char role = 'M';

    private Log() {
    }

    /** The server is the process: log lines go to standard output in Redis's format from now on. */
    public static void toStandardOutput() {
        standardOutput = true;
    }

    /** The process's role changed (REPLICAOF): {@code S} for a replica, {@code M} for a master, as Redis marks lines. */
    public static void role(char mark) {
        role = mark;
    }

    /**
     * A start or stop line: Redis logs them as warnings so that they show at every loglevel; a program that embeds
     * servers starts and stops many, so there they are debug lines.
     */
    public static void lifecycle(String message) {
        log(standardOutput ? "#" : "-", message);
    }

    public static void log(String level, String message) {
        if (standardOutput) {
            LocalDateTime now = LocalDateTime.now();
            StringBuilder line = new StringBuilder(40 + message.length()).append(ProcessHandle.current().pid()).append(':').append(role).append(' ');
            twoDigits(line, now.getDayOfMonth()).append(' ').append(MONTHS[now.getMonthValue() - 1]).append(' ')
                    .append(now.getYear()).append(' ');
            twoDigits(line, now.getHour()).append(':');
            twoDigits(line, now.getMinute()).append(':');
            twoDigits(line, now.getSecond()).append('.');
            int millis = now.getNano() / 1_000_000;
            line.append((char) ('0' + millis / 100));
            twoDigits(line, millis % 100).append(' ').append(level).append(' ').append(message).append(System.lineSeparator());
            System.out.print(line);
            return;
        }
        System.Logger.Level mapped = switch (level) {
            case "#" -> System.Logger.Level.WARNING;
            case "." -> System.Logger.Level.TRACE;
            default -> System.Logger.Level.DEBUG; // notices and verbose lines: start, stop, listening
        };
        System.Logger logger = Embedded.LOGGER;
        if (logger.isLoggable(mapped)) {
            logger.log(mapped, message);
        }
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** The logger of an embedded server, looked up when first needed: a server process never needs it. */
    private static final class Embedded {
        static final System.Logger LOGGER = System.getLogger(LOGGER_NAME);
    }
}
