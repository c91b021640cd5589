// A member interval as ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX take it: "[a", "(a", "-", "+".
package io.port6379.datastructures;

import java.util.Arrays;

/**
 * An interval of members in byte order, Redis's {@code zlexrangespec}, meaningful when all members have the
 * same score. {@code -} and {@code +} are the smallest and the largest possible member.
 */
public record LexRange(Bound min, Bound max) {

    public static final String NOT_A_RANGE_ITEM = "ERR min or max not valid string range item";

    /** One end: minus or plus infinity, or a member with {@code [} (inclusive) or {@code (} (exclusive). */
    public record Bound(Kind kind, byte[] value) {

        public enum Kind { MINUS_INFINITY, INCLUSIVE, EXCLUSIVE, PLUS_INFINITY }

        public static final Bound MINUS_INFINITY = new Bound(Kind.MINUS_INFINITY, null);
        public static final Bound PLUS_INFINITY = new Bound(Kind.PLUS_INFINITY, null);

        /** Compares this bound's value with a member, as {@code sdscmplex}: -, then members, then +. */
        int compareTo(byte[] member) {
            return switch (kind) {
                case MINUS_INFINITY -> -1;
                case PLUS_INFINITY -> 1;
                default -> Arrays.compareUnsigned(value, member);
            };
        }

        boolean exclusive() {
            return kind != Kind.INCLUSIVE; // Redis marks - and + exclusive too
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bound b && kind == b.kind && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case MINUS_INFINITY -> "-";
                case PLUS_INFINITY -> "+";
                case INCLUSIVE -> "[" + Bytes.of(value);
                case EXCLUSIVE -> "(" + Bytes.of(value);
            };
        }
    }

    /** Everything: {@code - +}. */
    public static final LexRange ALL = new LexRange(Bound.MINUS_INFINITY, Bound.PLUS_INFINITY);

    // tag::parse-lex-range[]
    /**
     * Parses {@code min} and {@code max} as {@code zslParseLexRange}: exactly {@code -} or {@code +}, or
     * {@code [member} / {@code (member}; anything else is an error. O(1) (the member is not copied).
     *
     * @throws RedisException {@value #NOT_A_RANGE_ITEM}
     */
    public static LexRange parse(Bytes min, Bytes max) {
        return new LexRange(parseBound(min.array()), parseBound(max.array()));
    }

    private static Bound parseBound(byte[] text) {
        if (text.length == 1 && text[0] == '-') {
            return Bound.MINUS_INFINITY;
        }
        if (text.length == 1 && text[0] == '+') {
            return Bound.PLUS_INFINITY;
        }
        if (text.length > 0 && (text[0] == '[' || text[0] == '(')) {
            return new Bound(text[0] == '[' ? Bound.Kind.INCLUSIVE : Bound.Kind.EXCLUSIVE,
                    Arrays.copyOfRange(text, 1, text.length));
        }
        throw new RedisException(NOT_A_RANGE_ITEM);
    }
    // end::parse-lex-range[]

    /** Whether {@code member} is not below the minimum. O(length). */
    public boolean aboveMin(byte[] member) {
        int cmp = -min.compareTo(member);
        return min.exclusive() ? cmp > 0 : cmp >= 0;
    }

    /** Whether {@code member} is not above the maximum. O(length). */
    public boolean belowMax(byte[] member) {
        int cmp = max.compareTo(member);
        return max.exclusive() ? cmp > 0 : cmp >= 0;
    }

    /** Whether {@code member} lies in the range. O(length). */
    public boolean contains(byte[] member) {
        return aboveMin(member) && belowMax(member);
    }

    /** Whether no member can lie in the range, e.g. {@code [b [a}, {@code (a [a} or {@code + -}. O(length). */
    public boolean isEmpty() {
        int cmp = compareBounds(min, max);
        return cmp > 0 || (cmp == 0 && (min.exclusive() || max.exclusive()));
    }

    private static int compareBounds(Bound a, Bound b) {
        if (a.kind() == b.kind() && a.value() == null) {
            return 0;
        }
        if (a.kind() == Bound.Kind.MINUS_INFINITY || b.kind() == Bound.Kind.PLUS_INFINITY) {
            return -1;
        }
        if (a.kind() == Bound.Kind.PLUS_INFINITY || b.kind() == Bound.Kind.MINUS_INFINITY) {
            return 1;
        }
        return Arrays.compareUnsigned(a.value(), b.value());
    }
}
