// The options of ZADD (NX, XX, GT, LT, CH, INCR) and the parsing of its arguments, with Redis's error texts.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.List;

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

    /** ZADD's arguments after the key: the options and the score-member pairs, scores already parsed. */
    public record Arguments(ZAddOptions options, List<ScoredMember> elements) {
    }

    /**
     * Parses ZADD's arguments after the key in Redis's order of checks: options (any case, any order) until
     * the first other word; then an even, non-zero number of arguments ({@value #SYNTAX_ERROR}); then
     * incompatible options; then INCR with more than one pair; then every score, before anything is added,
     * so that ZADD applies all pairs or none. O(N).
     *
     * @throws RedisException with one of the error texts of this class or {@link RedisNumbers#NOT_A_FLOAT}
     */
    // tag::zadd-parse[]
    public static Arguments parse(List<Bytes> arguments) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 0;
        for (; i < arguments.size(); i++) {
            byte[] word = arguments.get(i).array();
            if (isOption(word, "nx")) {
                nx = true;
            } else if (isOption(word, "xx")) {
                xx = true;
            } else if (isOption(word, "gt")) {
                gt = true;
            } else if (isOption(word, "lt")) {
                lt = true;
            } else if (isOption(word, "ch")) {
                ch = true;
            } else if (isOption(word, "incr")) {
                incr = true;
            } else {
                break; // the first score
            }
        }
        int rest = arguments.size() - i;
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
        List<ScoredMember> elements = new ArrayList<>(rest / 2);
        for (; i < arguments.size(); i += 2) {
            elements.add(new ScoredMember(arguments.get(i + 1), RedisNumbers.parseDouble(arguments.get(i).array())));
        }
        return new Arguments(new ZAddOptions(nx, xx, gt, lt, ch, incr), elements);
    }
    // end::zadd-parse[]

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
