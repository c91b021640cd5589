// One configuration parameter: its Redis name, default, how a value is checked and written back by CONFIG GET.
package io.port6379.server.config;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parameter's type decides how CONFIG SET checks a value and which canonical form CONFIG GET answers: a
 * memory value {@code 1mb} is stored and shown as {@code 1048576}, a boolean is {@code yes}/{@code no}, an
 * enumeration is lower case. The error texts are Redis's, after its
 * {@code CONFIG SET failed (possibly related to argument '...') - } prefix.
 *
 * <p>Every parameter of Redis 7.0 is accepted, but not all of them change what this server does: {@link #storedOnly}
 * says why a parameter is only kept (shown by CONFIG GET, checked by CONFIG SET, written by CONFIG REWRITE).
 *
 * @param name         the Redis name, e.g. {@code maxmemory-policy}
 * @param kind         how values are parsed
 * @param defaultValue the default, in canonical form
 * @param min          lowest allowed number (numeric kinds)
 * @param max          highest allowed number (numeric kinds)
 * @param choices      allowed values (enumerations), in the order Redis lists them in its error
 * @param mutable      whether CONFIG SET may change it while the server runs
 * @param alias        the pre-7 name Redis also accepts ({@code hash-max-ziplist-entries}, the {@code slave*} names),
 *                     or {@code null}
 * @param flags        Redis's config flags that change how it is listed, set or written back
 * @param storedOnly   empty when the value takes effect here; otherwise why it is only stored
 */
public record ConfigParameter(String name, Kind kind, String defaultValue, long min, long max, List<String> choices,
                              boolean mutable, String alias, Set<Flag> flags, String storedOnly) {

    /** How a value is read. */
    public enum Kind {
        BOOLEAN, INTEGER, MEMORY, ENUM, STRING, SAVE, KEYSPACE_EVENTS,
        /** {@code unixsocketperm}: digits in base 8. */
        OCTAL,
        /** {@code maxmemory-clients}: a memory value or a percentage of maxmemory ({@code 10%}). */
        MEMORY_PERCENT,
        /** {@code shutdown-on-sigint}: several words of an enumeration at once ({@code nosave now}). */
        ENUM_FLAGS,
        /** Several words with a checker of their own: bind, client-output-buffer-limit, oom-score-adj-values… */
        WORDS
    }

    private static final BigInteger U64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    /** Redis's {@code *_CONFIG} flags that matter to CONFIG GET, SET and REWRITE. */
    public enum Flag {
        /** Listed by CONFIG GET only when asked for by its exact name ({@code key-load-delay}). */
        HIDDEN,
        /** Settable only where {@code enable-protected-configs} allows it. */
        PROTECTED,
        /** An empty string means "unset": CONFIG REWRITE then drops the parameter's lines. */
        EMPTY_IS_NULL,
        /** A memory value up to 2^64-1 ({@code maxmemory}): Redis keeps it unsigned. */
        UNSIGNED,
        /** A password or user name: CONFIG SET's value shows as {@code (redacted)} in SLOWLOG ({@code requirepass}). */
        SENSITIVE
    }

    /** A parameter that takes effect, with no alias and no flags. */
    public ConfigParameter(String name, Kind kind, String defaultValue, long min, long max, List<String> choices,
                           boolean mutable) {
        this(name, kind, defaultValue, min, max, choices, mutable, null, Set.of(), "");
    }

    static ConfigParameter bool(String name, boolean defaultValue, boolean mutable) {
        return new ConfigParameter(name, Kind.BOOLEAN, defaultValue ? "yes" : "no", 0, 0, List.of(), mutable);
    }

    static ConfigParameter integer(String name, long defaultValue, long min, long max, boolean mutable) {
        return new ConfigParameter(name, Kind.INTEGER, Long.toString(defaultValue), min, max, List.of(), mutable);
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

    static ConfigParameter octal(String name, long defaultValue, long max, boolean mutable) {
        return new ConfigParameter(name, Kind.OCTAL, Long.toOctalString(defaultValue), 0, max, List.of(), mutable);
    }

    static ConfigParameter memoryOrPercent(String name, long defaultValue, long min, long max) {
        return new ConfigParameter(name, Kind.MEMORY_PERCENT, Long.toString(defaultValue), min, max, List.of(), true);
    }

    static ConfigParameter flagsChoice(String name, String defaultValue, String... choices) {
        return new ConfigParameter(name, Kind.ENUM_FLAGS, defaultValue, 0, 0, List.of(choices), true);
    }

    static ConfigParameter words(String name, String defaultValue, boolean mutable) {
        return new ConfigParameter(name, Kind.WORDS, defaultValue, 0, 0, List.of(), mutable);
    }

    /** The same parameter, also known by Redis's older {@code alias}. */
    ConfigParameter alias(String alias) {
        return new ConfigParameter(name, kind, defaultValue, min, max, choices, mutable, alias, flags, storedOnly);
    }

    ConfigParameter with(Flag flag) {
        Set<Flag> more = EnumSet.of(flag);
        more.addAll(flags);
        return new ConfigParameter(name, kind, defaultValue, min, max, choices, mutable, alias, Set.copyOf(more),
                storedOnly);
    }

    /** A parameter kept for CONFIG GET/SET/REWRITE only, with the reason. */
    ConfigParameter storedOnly(String reason) {
        return new ConfigParameter(name, kind, defaultValue, min, max, choices, mutable, alias, flags, reason);
    }

    /** A parameter of a feature not built yet: kept, with Redis's default and checks, until it lands. */
    ConfigParameter storedUntil(String feature) {
        return storedOnly("stored until " + feature + " lands");
    }

    /** Whether the value is several words on a redis.conf line (Redis's {@code MULTI_ARG_CONFIG}). */
    public boolean multiWord() {
        return kind == Kind.SAVE || kind == Kind.WORDS || kind == Kind.ENUM_FLAGS;
    }

    public boolean is(Flag flag) {
        return flags.contains(flag);
    }

    // tag::canonical[]
    /**
     * The canonical form of {@code value}, as CONFIG GET will show it.
     *
     * @throws IllegalArgumentException with Redis's reason when the value is not acceptable
     */
    public String canonical(String value) {
        return switch (kind) {
            case BOOLEAN -> checked(switch (value.toLowerCase(Locale.ROOT)) {
                case "yes" -> "yes";
                case "no" -> "no";
                default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            });
            case INTEGER -> inRange(parseInteger(value));
            case MEMORY -> inRange(memoryBytes(value));
            case MEMORY_PERCENT -> memoryOrPercent(value);
            case OCTAL -> octal(value);
            case ENUM -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!choices.contains(lower)) {
                    throw notOneOf();
                }
                // oom-score-adj's "relative" is the same value as "yes", shown by the first name Redis knows it by
                yield name.equals("oom-score-adj") && lower.equals("relative") ? "yes" : lower;
            }
            case ENUM_FLAGS -> ValueChecks.flags(value, choices, this::notOneOf);
            case STRING -> ValueChecks.string(name, value);
            case WORDS -> ValueChecks.words(name, value);
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

    private IllegalArgumentException notOneOf() {
        return new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
    }

    /** {@code activedefrag}: Debian's redis-server is built without the jemalloc it needs, and so is this server. */
    private String checked(String yesNo) {
        if (name.equals("activedefrag") && yesNo.equals("yes")) {
            throw new IllegalArgumentException("Active defragmentation cannot be enabled: it requires a Redis server "
                    + "compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution");
        }
        return yesNo;
    }

    private String inRange(BigInteger number) {
        BigInteger upper = is(Flag.UNSIGNED) ? U64_MAX : BigInteger.valueOf(max);
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(upper) > 0) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + upper + " inclusive");
        }
        return number.toString();
    }

    /** Redis's {@code string2ll}: an optional minus, then digits without a leading zero, within 64 bits. */
    private static BigInteger parseInteger(String value) {
        if (!value.matches("0|-?[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        BigInteger number = new BigInteger(value);
        if (number.bitLength() > 63) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        return number;
    }

    /** {@code maxmemory-clients}: {@code 10%} is kept as -10, as Redis does, and shown again as {@code 10%}. */
    private String memoryOrPercent(String value) {
        if (value.length() > 1 && value.endsWith("%")) {
            String digits = value.substring(0, value.length() - 1);
            if (digits.matches("0|[1-9][0-9]{0,17}")) {
                long percent = Long.parseLong(digits);
                if (percent > -min) {
                    throw new IllegalArgumentException("percentage argument must be less or equal to " + -min);
                }
                return percent == 0 ? "0" : percent + "%";
            }
        }
        try {
            return inRange(memoryBytes(value));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("argument must be a memory")) {
                throw new IllegalArgumentException("argument must be a memory or percent value");
            }
            throw e;
        }
    }

    private String octal(String value) {
        if (!value.matches("[0-7]{1,21}")) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        long number = Long.parseLong(value, 8);
        if (number > max) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
        }
        return Long.toOctalString(number);
    }

    /**
     * Redis's {@code memtoull}: digits with an optional unit b, k, kb, m, mb, g, gb (k = 1000, kb = 1024). As in
     * Redis, no digits at all reads as 0 and a minus sign is refused before any range check.
     */
    private static BigInteger memoryBytes(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < lower.length() && Character.isDigit(lower.charAt(unitStart))) {
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
        if (unitStart >= 128) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
        // strtoull saturates at 2^64-1, and the product wraps around as unsigned C arithmetic does
        BigInteger digits = unitStart == 0 ? BigInteger.ZERO : new BigInteger(lower.substring(0, unitStart)).min(U64_MAX);
        return digits.multiply(BigInteger.valueOf(multiplier)).mod(U64_MAX.add(BigInteger.ONE));
    }

    /** A memory value that fits a long (also the unit-bearing words of client-output-buffer-limit). */
    public static long parseMemory(String value) {
        BigInteger bytes = memoryBytes(value);
        if (bytes.bitLength() > 63) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
        return bytes.longValueExact();
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
