// One row of the command table: what COMMAND INFO and COMMAND DOCS report about a command, and its code.
package io.port6379.server;

import io.port6379.datastructures.RedisNumbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A command as Redis's command table describes it. Container commands ({@code CLIENT}, {@code CONFIG}, ...)
 * have no handler of their own but {@link #subcommands()} named {@code container|sub}, as in Redis 7.
 *
 * <p>Built with {@link #named}: {@code Command.named("get", 2).flags(READONLY, FAST).acl(STRING).keys(1, 1, 1,
 * "RO", "ACCESS").doc(...).handler(StringCommands::get)}.
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
     * ({@code begin_search} of type {@code index}), then {@code find} says where the keys are.
     *
     * @param flags the access kind first ({@code RO}, {@code RW}, {@code OW}, {@code RM}), then what is done
     *              ({@code ACCESS}, {@code UPDATE}, {@code INSERT}, {@code DELETE}...)
     */
    public record KeySpec(int index, FindKeys find, List<String> flags) {

        /** Redis's {@code find_keys}: a range of arguments, or a count of keys given by an argument. */
        public sealed interface FindKeys permits Range, Keynum {
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
            int first = index;
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
                return numkeysFallback(args);
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

    /** COMMAND DOCS' fields: a one-line summary, the Redis version it appeared in, its group and complexity. */
    public record Docs(String summary, String since, String group, String complexity) {
    }

    /** Starts the description of a command; see the class comment. */
    public static Builder named(String name, int arity) {
        return new Builder(name.toLowerCase(Locale.ROOT), arity);
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

    /** Collects a command's description; {@link #handler} or {@link #subcommands} finishes it. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        private int firstKey;
        private int lastKey;
        private int step;
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private List<String> tips = List.of();
        private Docs docs = new Docs("", "", "", "");
        private CommandHandler alone;

        private Builder(String name, int arity) {
            this.name = name;
            this.arity = arity;
        }

        public Builder flags(CommandFlag... flags) {
            this.flags.addAll(Arrays.asList(flags));
            return this;
        }

        public Builder acl(AclCategory... categories) {
            this.acl.addAll(Arrays.asList(categories));
            return this;
        }

        /**
         * Key positions, and the flags of the one key specification that covers them all ({@code RO}, {@code RW},
         * {@code OW}, {@code RM}, then access kinds). Without flags, declare the specifications with {@link #spec}.
         */
        public Builder keys(int firstKey, int lastKey, int step, String... keySpecFlags) {
            this.firstKey = firstKey;
            this.lastKey = lastKey;
            this.step = step;
            if (keySpecFlags.length > 0) {
                keySpecs.add(new KeySpec(firstKey, new KeySpec.Range(lastKey >= 0 ? lastKey - firstKey : lastKey, step),
                        List.of(keySpecFlags)));
            }
            return this;
        }

        /** A key specification for one key at {@code index}, for commands whose keys are used differently (RENAME). */
        public Builder spec(int index, String... flags) {
            keySpecs.add(new KeySpec(index, new KeySpec.Range(0, 1), List.of(flags)));
            return this;
        }

        /**
         * A key specification for {@code numkeys key [key ...]} with the count at argument {@code index}, as Redis
         * writes it for LMPOP, ZUNION and the rest: {@code keynumidx 0, firstkey 1, keystep 1}. Such a command
         * has no fixed key positions (first, last and step are 0) and is flagged {@code movablekeys}.
         */
        public Builder keynumSpec(int index, String... flags) {
            keySpecs.add(new KeySpec(index, new KeySpec.Keynum(0, 1, 1), List.of(flags)));
            return this;
        }

        public Builder tips(String... tips) {
            this.tips = List.of(tips);
            return this;
        }

        public Builder doc(String summary, String since, String group, String complexity) {
            this.docs = new Docs(summary, since, group, complexity);
            return this;
        }

        public Command handler(CommandHandler handler) {
            return new Command(name, arity, frozen(flags), frozen(acl), firstKey, lastKey, step, List.copyOf(keySpecs),
                    tips, docs, List.of(), handler);
        }

        /** For a container that also runs without a subcommand (COMMAND alone lists every command). */
        public Builder alone(CommandHandler handler) {
            this.alone = handler;
            return this;
        }

        /** Finishes a container command: its arity is checked first, then the subcommand's. */
        public Command subcommands(Command... subcommands) {
            return new Command(name, arity, frozen(flags), frozen(acl), 0, 0, 0, List.of(), tips, docs,
                    List.of(subcommands), alone);
        }

        private static <E extends Enum<E>> Set<E> frozen(EnumSet<E> set) {
            return Collections.unmodifiableSet(EnumSet.copyOf(set));
        }
    }

    /** The lower-case name as bytes, for allocation-free lookup. */
    byte[] nameBytes() {
        return shortName().getBytes(StandardCharsets.US_ASCII);
    }
}
