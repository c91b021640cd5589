// One row of the command table: what COMMAND INFO and COMMAND DOCS report about a command, and its code.
package io.port6379.server;

import io.port6379.datastructures.RedisNumbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A command as Redis's command table describes it. Container commands ({@code CLIENT}, {@code CONFIG}, ...)
 * have no handler of their own but {@link #subcommands()} named {@code container|sub}, as in Redis 7.
 *
 * <p>The description comes from the command's file, {@code commands/get.json} ({@link CommandFiles}); the code
 * comes from its family, which binds it with {@code table.handle("get", StringCommands::get)}.
 *
 * @param name          lower-case name, {@code "get"}, or {@code "client|id"} for a subcommand
 * @param arity         number of arguments including the name(s); negative means "at least -arity"
 * @param flags         Redis's command flags
 * @param acl           the ACL categories stated for this command; the implicit ones are added by {@link #aclCategories()}
 * @param firstKey      position of the first key argument, 0 when the command takes no key
 * @param lastKey       position of the last key argument, negative counting from the end
 * @param step          distance between key arguments
 * @param keySpecs      Redis 7's key specifications (empty when there are no keys)
 * @param tips          hints for cluster clients, e.g. {@code nondeterministic_output}
 * @param docs          what COMMAND DOCS answers
 * @param subcommands   the subcommands of a container command, otherwise empty
 * @param handler       the implementation; for a container, what runs without a subcommand, usually {@code null}
 */
public record Command(String name, int arity, Set<CommandFlag> flags, Set<AclCategory> acl, int firstKey,
                      int lastKey, int step, List<KeySpec> keySpecs, List<String> tips, Docs docs,
                      List<Command> subcommands, CommandHandler handler) {

    // tag::keyspec[]
    /**
     * One Redis 7 key specification: where the first key is ({@code begin_search}), then where the others are
     * ({@code find}). The first key is either argument {@code index} (a search of type {@code index}) or the
     * argument after the word {@code keyword} (type {@code keyword}: MIGRATE's {@code KEYS}), looked for from
     * argument {@code index} towards the end, or, when {@code index} is negative, from that far before the end
     * towards the start.
     *
     * @param keyword the word before the keys, empty for a search of type {@code index}
     * @param flags the access kind first ({@code RO}, {@code RW}, {@code OW}, {@code RM}), then what is done
     *              ({@code ACCESS}, {@code UPDATE}, {@code INSERT}, {@code DELETE}...), written as in Redis's files
     * @param notes Redis's remark on the specification ({@code getex}'s "RW and UPDATE because it changes the
     *              TTL"), empty for most
     */
    public record KeySpec(int index, String keyword, FindKeys find, List<String> flags, String notes) {

        /** Redis's {@code find_keys}: a range of arguments, or a count of keys given by an argument. */
        public sealed interface FindKeys permits Range, Keynum, Unknown {
        }

        /**
         * Redis's {@code unknown} search (SORT's BY, GET and STORE): the keys can be anywhere, so only the
         * command's own key function finds them (see {@link Command#keys}); its index is 0.
         */
        public record Unknown() implements FindKeys {
        }

        /**
         * Keys from {@code index} to {@code lastKey} (0: just that one; positive: that many further; negative:
         * counted from the end), every {@code step} arguments. A {@code limit} of N with {@code lastKey} -1 takes
         * the first 1/N of the arguments left (XREAD's keys, before as many IDs).
         */
        public record Range(int lastKey, int step, int limit) implements FindKeys {
        }

        /**
         * {@code numkeys key [key ...]}: the count is at {@code index + keynumIdx}, the first key at
         * {@code index + firstKey}, then every {@code step} arguments (LMPOP, ZUNION, BZMPOP...).
         */
        public record Keynum(int keynumIdx, int firstKey, int step) implements FindKeys {
        }

        /**
         * The positions of this specification's keys in {@code args} (the command name at 0), as Redis 7.0's
         * {@code getKeysUsingKeySpecs}; null when the specification does not fit these arguments (a count that is
         * not a non-negative integer, or a first or last key outside them), which Redis calls an invalid spec.
         */
        public int[] positions(byte[][] args) {
            int first = index;
            if (!keyword.isEmpty()) {
                first = afterKeyword(args);
                if (first == 0) {
                    return new int[0]; // "keyword not found": this specification finds no key in these arguments
                }
            }
            long last;
            int step;
            switch (find) {
                case Range range -> {
                    if (range.lastKey() >= 0) {
                        last = first + range.lastKey();
                    } else {
                        last = range.limit() == 0 ? args.length + range.lastKey()
                                : first + ((args.length - first) / range.limit() + range.lastKey());
                    }
                    step = range.step();
                }
                case Keynum keynum -> {
                    if (first + keynum.keynumIdx() >= args.length) {
                        return null;
                    }
                    long count;
                    try {
                        count = RedisNumbers.parseLong(args[first + keynum.keynumIdx()]);
                    } catch (RuntimeException notAnInteger) {
                        return null;
                    }
                    if (count < 0) {
                        return null;
                    }
                    first += keynum.firstKey();
                    last = first + count - 1;
                    step = keynum.step();
                }
                case Unknown unknown -> {
                    return null;
                }
            }
            if (last >= args.length || last < first || first >= args.length) {
                return null; // "first or last is out of bounds, which indicates a syntax error"
            }
            int[] positions = new int[(int) (last - first) / step + 1];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = first + i * step;
            }
            return positions;
        }

        /**
         * Redis's keyword search: the position after {@code keyword} (any case), or 0 when it is not there. As in
         * Redis, a forward search stops before the last argument and a backward one before the first.
         */
        private int afterKeyword(byte[][] args) {
            int start = index > 0 ? index : args.length + index;
            int end = index > 0 ? args.length - 1 : 1;
            int direction = index > 0 ? 1 : -1;
            for (int i = start; i != end && i >= 1 && i < args.length; i += direction) {
                if (new String(args[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase(keyword)) {
                    return i + 1;
                }
            }
            return 0;
        }
    }
    // end::keyspec[]

    /** One key of a call: its position in the arguments and the flags of the specification that found it. */
    public record KeyReference(int position, List<String> flags) {
    }

    // tag::keys-of-call[]
    /**
     * The keys of a call, as Redis 7.0's {@code getKeysFromCommandWithSpecs} (what ACL checks and COMMAND GETKEYS
     * use): every specification's keys in order. When one specification does not fit the arguments, or is marked
     * {@code INCOMPLETE} (MIGRATE's), Redis falls back to the command's older key function, which for MIGRATE is
     * {@link #migrateKeys}, and for the numkeys commands reads the count with C's
     * {@code atoi} and returns the keys, then a STORE command's destination, with no flags; or nothing at all
     * when that count is below 1 or exceeds the arguments. O(keys).
     */
    public List<KeyReference> keys(byte[][] args) {
        List<KeyReference> keys = new ArrayList<>();
        for (KeySpec spec : keySpecs) {
            int[] positions = spec.flags().contains("INCOMPLETE") ? null : spec.positions(args);
            if (positions == null) {
                return switch (name) {
                    case "sort" -> sortKeys(args, true);
                    case "sort_ro" -> sortKeys(args, false);
                    case "migrate" -> migrateKeys(args);
                    default -> numkeysFallback(args);
                };
            }
            List<String> flags = spec.flags().contains("VARIABLE_FLAGS") ? setFlags(args) : spec.flags();
            for (int position : positions) {
                keys.add(new KeyReference(position, flags));
            }
        }
        return keys;
    }

    /**
     * SET's spec says {@code RW ACCESS UPDATE VARIABLE_FLAGS}; Redis then asks {@code setGetKeys}, which reads the
     * old value (RW ACCESS UPDATE) only with the GET option and otherwise just writes (OW UPDATE).
     */
    private static List<String> setFlags(byte[][] args) {
        for (int i = 3; i < args.length; i++) {
            if (new String(args[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("get")) {
                return List.of("RW", "ACCESS", "UPDATE");
            }
        }
        return List.of("OW", "UPDATE");
    }

    /** t_zset.c's and t_list.c's {@code genericGetKeys}: {@code [destination] numkeys key [key ...]}. */
    private List<KeyReference> numkeysFallback(byte[][] args) {
        KeySpec keynum = keySpecs.stream().filter(spec -> spec.find() instanceof KeySpec.Keynum).findFirst().orElse(null);
        if (keynum == null) {
            return List.of();
        }
        KeySpec.Keynum find = (KeySpec.Keynum) keynum.find();
        int countAt = keynum.index() + find.keynumIdx();
        int firstKey = keynum.index() + find.firstKey();
        long count = countAt < args.length ? atoi(args[countAt]) : 0;
        if (count < 1 || count > (args.length - firstKey) / find.step()) {
            return List.of();
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new KeyReference(firstKey + i * find.step(), List.of()));
        }
        keySpecs.stream().filter(spec -> spec.find() instanceof KeySpec.Range).findFirst()
                .ifPresent(destination -> keys.add(new KeyReference(destination.index(), List.of())));
        return keys;
    }

    /**
     * sort.c's {@code sortGetKeys} (and, without STORE, {@code sortROGetKeys}): the sorted key, then the argument
     * after the last STORE, found by skipping the arguments of LIMIT (2), GET and BY (1) and taking any other word
     * for an option without one. The keys that BY and GET patterns name cannot be known before the sort runs.
     */
    private static List<KeyReference> sortKeys(byte[][] args, boolean withStore) {
        List<KeyReference> keys = new ArrayList<>();
        keys.add(new KeyReference(1, List.of("RO", "ACCESS")));
        KeyReference store = null;
        for (int i = 2; withStore && i < args.length; i++) {
            String word = new String(args[i], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            switch (word) {
                case "limit" -> i += 2;
                case "get", "by" -> i += 1;
                case "store" -> {
                    if (i + 1 < args.length) {
                        store = new KeyReference(i + 1, List.of("OW", "UPDATE"));
                    }
                }
                default -> { }
            }
        }
        if (store != null) {
            keys.add(store);
        }
        return keys;
    }

    /**
     * cluster.c's {@code migrateGetKeys}: the key argument, or in the KEYS form every argument after KEYS. The
     * search for KEYS skips the password after AUTH and the user name and password after AUTH2 (either may be the
     * word "keys"), and never looks at the last argument; a key given together with KEYS makes no key at all.
     */
    public static List<KeyReference> migrateKeys(byte[][] args) {
        int first = 3;
        int count = 1;
        for (int i = 6; i < args.length - 1; i++) {
            String word = new String(args[i], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (word.equals("keys")) {
                if (args[3].length > 0) {
                    return List.of();
                }
                first = i + 1;
                count = args.length - first;
                break;
            }
            i += switch (word) {
                case "auth" -> 1;
                case "auth2" -> 2;
                default -> 0;
            };
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new KeyReference(first + i, List.of("RW", "ACCESS", "DELETE")));
        }
        return keys;
    }

    /** C's {@code atoi}: optional white space and sign, then the leading digits; 0 when there are none. */
    private static long atoi(byte[] text) {
        int i = 0;
        while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
            i++;
        }
        boolean negative = i < text.length && text[i] == '-';
        if (i < text.length && (text[i] == '-' || text[i] == '+')) {
            i++;
        }
        long value = 0;
        for (; i < text.length && text[i] >= '0' && text[i] <= '9' && value < Integer.MAX_VALUE; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return negative ? -value : value;
    }
    // end::keys-of-call[]

    /**
     * What COMMAND DOCS answers, in the order Redis writes it.
     *
     * @param group           {@code string}, {@code sorted-set}, {@code server}...
     * @param docFlags        {@code deprecated}, {@code syscmd}, or none
     * @param deprecatedSince the version that deprecated the command, empty when it is not
     * @param replacedBy      what to use instead of a deprecated command, empty when nothing
     * @param history         the changes since the command appeared, oldest first
     * @param arguments       the argument tree redis-cli shows as hints, read from the command's file when first
     *                        asked for: only COMMAND DOCS needs it
     */
    public record Docs(String summary, String since, String group, String complexity, List<String> docFlags,
                       String deprecatedSince, String replacedBy, List<History> history,
                       Supplier<List<Argument>> arguments) {
    }

    /** One entry of a command's history: the version and what it changed. */
    public record History(String version, String change) {
    }

    /**
     * One argument of a command, as COMMAND DOCS describes it. A {@code oneof} or {@code block} argument groups
     * {@link #arguments}; the others stand for one word of the call. Empty strings and -1 mean "not stated".
     *
     * @param type         {@code key}, {@code string}, {@code integer}, {@code double}, {@code pattern},
     *                     {@code unix-time}, {@code pure-token}, {@code oneof} or {@code block}
     * @param keySpecIndex for a key, which of the command's key specifications finds it; -1 otherwise
     * @param token        the word that comes before the value (or is the whole argument, for a pure token); null
     *                     when there is none, which differs from MIGRATE's empty token {@code ""}
     */
    public record Argument(String name, String type, int keySpecIndex, String token, String summary, String since,
                           String deprecatedSince, boolean optional, boolean multiple, boolean multipleToken,
                           List<Argument> arguments) {
    }

    /** Whether {@code argumentCount} (including the name) satisfies this command's arity. */
    public boolean acceptsArgumentCount(int argumentCount) {
        return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** The part of the name after the {@code |} for a subcommand; the whole name otherwise. */
    public String shortName() {
        return name.substring(name.indexOf('|') + 1);
    }

    // tag::acl[]
    /** The stated categories plus those Redis derives from the flags ({@code setImplicitACLCategories}). */
    public Set<AclCategory> aclCategories() {
        EnumSet<AclCategory> all = acl.isEmpty() ? EnumSet.noneOf(AclCategory.class) : EnumSet.copyOf(acl);
        if (has(CommandFlag.WRITE)) all.add(AclCategory.WRITE);
        if (has(CommandFlag.READONLY) && !all.contains(AclCategory.SCRIPTING)) all.add(AclCategory.READ); // not EVAL_RO
        if (has(CommandFlag.ADMIN)) all.addAll(EnumSet.of(AclCategory.ADMIN, AclCategory.DANGEROUS));
        if (has(CommandFlag.PUBSUB)) all.add(AclCategory.PUBSUB);
        if (has(CommandFlag.FAST)) all.add(AclCategory.FAST);
        if (has(CommandFlag.BLOCKING)) all.add(AclCategory.BLOCKING);
        if (!all.contains(AclCategory.FAST)) all.add(AclCategory.SLOW);
        return all;
    }
    // end::acl[]

    /** This command with its code: what a family binds to a described command. */
    Command withHandler(CommandHandler handler) {
        return new Command(name, arity, flags, acl, firstKey, lastKey, step, keySpecs, tips, docs, subcommands, handler);
    }

    /** This container with the subcommands given, in place of those it had. */
    Command withSubcommands(List<Command> subcommands) {
        return new Command(name, arity, flags, acl, firstKey, lastKey, step, keySpecs, tips, docs,
                List.copyOf(subcommands), handler);
    }

    /** The lower-case name as bytes, for allocation-free lookup. */
    byte[] nameBytes() {
        return shortName().getBytes(StandardCharsets.US_ASCII);
    }
}
