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
     * One Redis 7 key specification: the search for the first key starts at argument {@code index}
     * ({@code begin_search} of type {@code index}), or, when {@code keyword} is set, the first key follows that
     * keyword, looked for from argument {@code index} on ({@code begin_search} of type {@code keyword}, whose
     * {@code startfrom} is {@code index}; GEORADIUS's {@code STORE key}); then {@code find} says where the keys are.
     *
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
         * counted from the end), every {@code step} arguments.
         */
        public record Range(int lastKey, int step) implements FindKeys {
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
            int first = keyword == null ? index : keywordEnd(args);
            if (keyword != null && first == 0) {
                return new int[0]; // the keyword is not in the call: no keys, and not an invalid spec
            }
            long last;
            int step;
            switch (find) {
                case Range range -> {
                    last = range.lastKey() >= 0 ? first + range.lastKey() : args.length + range.lastKey();
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
         * The position after the keyword, searched as Redis 7.0 does: from {@code startfrom} towards the end but
         * not in the last argument (a positive start), or from that many arguments before the end back to the
         * second argument (a negative one); 0 when it is not found.
         */
        private int keywordEnd(byte[][] args) {
            int start = index > 0 ? index : args.length + index;
            int end = index > 0 ? args.length - 1 : 1;
            for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                if (i >= args.length || i < 1) {
                    break;
                }
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
     * use): every specification's keys in order. When one specification does not fit the arguments, Redis falls
     * back to the command's older key function, which for the numkeys commands reads the count with C's
     * {@code atoi} and returns the keys, then a STORE command's destination, with no flags; or nothing at all
     * when that count is below 1 or exceeds the arguments. O(keys).
     */
    public List<KeyReference> keys(byte[][] args) {
        List<KeyReference> keys = new ArrayList<>();
        for (KeySpec spec : keySpecs) {
            int[] positions = spec.positions(args);
            if (positions == null) {
                return switch (name) {
                    case "sort" -> sortKeys(args, true);
                    case "sort_ro" -> sortKeys(args, false);
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
     * @param token        the word that comes before the value (or is the whole argument, for a pure token)
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
        if (has(CommandFlag.READONLY)) all.add(AclCategory.READ);
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
