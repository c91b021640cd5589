// One configuration parameter: its Redis name, default, how a value is checked and written back by CONFIG GET.
package io.port6379.server.config;

import java.util.List;
import java.util.Locale;

/**
 * A parameter's type decides how CONFIG SET checks a value and which canonical form CONFIG GET answers: a
 * memory value {@code 1mb} is stored and shown as {@code 1048576}, a boolean is {@code yes}/{@code no}, an
 * enumeration is lower case. The error texts are Redis's, after its
 * {@code CONFIG SET failed (possibly related to argument '...') - } prefix.
 *
 * @param name         the Redis name, e.g. {@code maxmemory-policy}
 * @param kind         how values are parsed
 * @param defaultValue the default, in canonical form
 * @param min          lowest allowed number (numeric kinds)
 * @param max          highest allowed number (numeric kinds)
 * @param choices      allowed values (enumerations), in the order Redis lists them in its error
 * @param mutable      whether CONFIG SET may change it while the server runs
 */
public record ConfigParameter(String name, Kind kind, String defaultValue, long min, long max, List<String> choices,
                              boolean mutable) {

    /** How a value is read. */
    public enum Kind { BOOLEAN, INTEGER, OCTAL, MEMORY, ENUM, STRING, SAVE, KEYSPACE_EVENTS }

    static ConfigParameter bool(String name, boolean defaultValue, boolean mutable) {
        return new ConfigParameter(name, Kind.BOOLEAN, defaultValue ? "yes" : "no", 0, 0, List.of(), mutable);
    }

    static ConfigParameter integer(String name, long defaultValue, long min, long max, boolean mutable) {
        return new ConfigParameter(name, Kind.INTEGER, Long.toString(defaultValue), min, max, List.of(), mutable);
    }

    /** A file mode such as {@code unixsocketperm 700}: read and shown in octal, as Redis's OCTAL_CONFIG. */
    static ConfigParameter octal(String name, long defaultValue, boolean mutable) {
        return new ConfigParameter(name, Kind.OCTAL, Long.toOctalString(defaultValue), 0, 0777, List.of(), mutable);
    }

    static ConfigParameter memory(String name, long defaultValue, long min, long max) {
        return new ConfigParameter(name, Kind.MEMORY, Long.toString(defaultValue), min, max, List.of(), true);
    }

    static ConfigParameter choice(String name, String defaultValue, boolean mutable, String... choices) {
        return new ConfigParameter(name, Kind.ENUM, defaultValue, 0, 0, List.of(choices), mutable);
    }

    static ConfigParameter string(String name, String defaultValue, boolean mutable) {
        return new ConfigParameter(name, Kind.STRING, defaultValue, 0, 0, List.of(), mutable);
    }

    /** {@code notify-keyspace-events}: Redis's class letters, shown in Redis's order ({@link KeyspaceEvents#format}). */
    static ConfigParameter keyspaceEvents(String name) {
        return new ConfigParameter(name, Kind.KEYSPACE_EVENTS, "", 0, 0, List.of(), true);
    }

    static ConfigParameter save(String name, String defaultValue) {
        return new ConfigParameter(name, Kind.SAVE, defaultValue, 0, 0, List.of(), true);
    }

    // tag::canonical[]
    /**
     * The canonical form of {@code value}, as CONFIG GET will show it.
     *
     * @throws IllegalArgumentException with Redis's reason when the value is not acceptable
     */
    public String canonical(String value) {
        return switch (kind) {
            case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                case "yes" -> "yes";
                case "no" -> "no";
                default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            };
            case INTEGER -> inRange(parseInteger(value));
            case OCTAL -> {
                try {
                    long mode = Long.parseLong(value, 8);
                    if (mode < min || mode > max) {
                        throw new IllegalArgumentException("argument must be between " + Long.toOctalString(min)
                                + " and " + Long.toOctalString(max) + " inclusive");
                    }
                    yield Long.toOctalString(mode);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument couldn't be parsed into an integer");
                }
            }
            case MEMORY -> {
                if (value.startsWith("-")) { // memtoull refuses a sign before any range check
                    throw new IllegalArgumentException("argument must be a memory value");
                }
                yield inRange(parseMemory(value));
            }
            case ENUM -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!choices.contains(lower)) {
                    throw new IllegalArgumentException("argument(s) must be one of the following: "
                            + String.join(", ", choices));
                }
                yield lower;
            }
            case STRING -> value;
            case SAVE -> canonicalSave(value);
            case KEYSPACE_EVENTS -> {
                int classes = NotifyKeyspaceEvents.parse(value);
                if (classes < 0) {
                    throw new IllegalArgumentException(NotifyKeyspaceEvents.INVALID);
                }
                yield NotifyKeyspaceEvents.format(classes);
            }
        };
    }
    // end::canonical[]

    private String inRange(long number) {
        if (number < min || number > max) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
        }
        return Long.toString(number);
    }

    private static long parseInteger(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
    }

    /** Redis's {@code memtoull}: digits with an optional unit b, k, kb, m, mb, g, gb (k = 1000, kb = 1024). */
    public static long parseMemory(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < lower.length() && (Character.isDigit(lower.charAt(unitStart)) || (unitStart == 0 && lower.charAt(0) == '-'))) {
            unitStart++;
        }
        long multiplier = switch (lower.substring(unitStart)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("argument must be a memory value");
        };
        try {
            return Math.multiplyExact(Long.parseLong(lower.substring(0, unitStart)), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }

    /** {@code save}: empty, or pairs of seconds and changes, both non-negative integers. */
    private static String canonicalSave(String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        String[] words = trimmed.split("\\s+");
        if (words.length % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        for (String word : words) {
            try {
                if (Long.parseLong(word) < 0) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
        }
        return String.join(" ", words);
    }
}
