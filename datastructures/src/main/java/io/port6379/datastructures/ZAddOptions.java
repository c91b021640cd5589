// The options of ZADD (NX, XX, GT, LT, CH, INCR) and the parsing of its arguments, with Redis's error texts.
package io.port6379.datastructures;

/**
 * ZADD's flags. NX: only add new members. XX: only update existing ones. GT/LT: only update when the new
 * score is greater/less (new members are still added). CH: the reply counts changed members too, not only
 * added ones. INCR: add the score to the current one, as ZINCRBY.
 */
public record ZAddOptions(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr) {

    public static final ZAddOptions NONE = new ZAddOptions(false, false, false, false, false, false);
    /** What ZINCRBY does: ZADD with INCR. */
    public static final ZAddOptions INCR = new ZAddOptions(false, false, false, false, false, true);

    public static final String SYNTAX_ERROR = "ERR syntax error";
    public static final String XX_AND_NX = "ERR XX and NX options at the same time are not compatible";
    public static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String INCR_SINGLE_PAIR = "ERR INCR option supports a single increment-element pair";

    /**
     * Parses ZADD's options, the words of {@code args} from index {@code from} (the one after the key) up to
     * {@link #firstScore}, and checks the arguments in Redis's order: options (any case, any order) until the first
     * other word; then an even, non-zero number of arguments ({@value #SYNTAX_ERROR}); then incompatible options;
     * then INCR with more than one pair; then every score, before anything is added, so that ZADD applies all
     * pairs or none. Plain ZADD gets {@link #NONE}, so that the common case allocates nothing. O(N).
     *
     * @throws RedisException with one of the error texts of this class or {@link RedisNumbers#NOT_A_FLOAT}
     */
    // tag::zadd-parse[]
    public static ZAddOptions parse(byte[][] args, int from) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int firstScore = firstScore(args, from);
        for (int i = from; i < firstScore; i++) { // each word is one of the options
            byte[] word = args[i];
            nx |= isOption(word, "nx");
            xx |= isOption(word, "xx");
            gt |= isOption(word, "gt");
            lt |= isOption(word, "lt");
            ch |= isOption(word, "ch");
            incr |= isOption(word, "incr");
        }
        int rest = args.length - firstScore;
        if (rest == 0 || rest % 2 != 0) {
            throw new RedisException(SYNTAX_ERROR);
        }
        if (nx && xx) {
            throw new RedisException(XX_AND_NX);
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new RedisException(GT_LT_NX);
        }
        if (incr && rest > 2) {
            throw new RedisException(INCR_SINGLE_PAIR);
        }
        for (int i = firstScore; i < args.length; i += 2) {
            RedisNumbers.parseDouble(args[i]); // only checked: the caller reads the scores again as it adds
        }
        return firstScore == from ? NONE : new ZAddOptions(nx, xx, gt, lt, ch, incr);
    }
    // end::zadd-parse[]

    /** Where the score-member pairs start: the first word from {@code from} on that is not an option. O(N). */
    public static int firstScore(byte[][] args, int from) {
        int i = from;
        while (i < args.length && isOptionWord(args[i])) {
            i++;
        }
        return i;
    }

    private static boolean isOptionWord(byte[] word) {
        return isOption(word, "nx") || isOption(word, "xx") || isOption(word, "gt") || isOption(word, "lt")
                || isOption(word, "ch") || isOption(word, "incr");
    }

    /**
     * Whether {@code word} is {@code option} (lower-case ASCII) in any letter case. Compared byte by byte, as
     * Redis's {@code strcasecmp}, so that no String is built for every option and score. O(1).
     */
    private static boolean isOption(byte[] word, String option) {
        if (word.length != option.length()) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            int b = word[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != option.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
