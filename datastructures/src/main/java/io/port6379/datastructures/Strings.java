// The string commands' semantics on a keyspace: SET's options, APPEND, ranges, counters, GETDEL, GETEX, MSETNX.
package io.port6379.datastructures;

import java.util.Arrays;

/**
 * What the string commands do to a {@link Keyspace}, with Redis's exact errors, independent of how the
 * arguments arrived. Each method looks the key up once (which expires it lazily) and raises
 * {@link WrongTypeException} when the key holds another type. Operations that change a string in place
 * (APPEND, SETRANGE, INCR..., INCRBYFLOAT) keep the key's expiry, as Redis does; SET removes it.
 */
public final class Strings {

    /** Redis's default {@code proto-max-bulk-len}: no string may grow beyond 512 MB. */
    public static final long DEFAULT_MAX_LENGTH = 512L * 1024 * 1024;
    public static final String TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";

    private Strings() {
    }

    /** SET's NX / XX condition. */
    public enum Condition { ALWAYS, NX, XX }

    /**
     * SET's options once parsed.
     *
     * @param expireAtMillis the absolute expiry (EX/PX/EXAT/PXAT converted), or -1 for none
     * @param keepTtl        KEEPTTL: keep the key's current expiry
     * @param get            GET: return the old value (which must be a string)
     */
    public record SetOptions(Condition condition, long expireAtMillis, boolean keepTtl, boolean get) {
        public static final SetOptions PLAIN = new SetOptions(Condition.ALWAYS, -1, false, false);
    }

    /** What SET did: whether it wrote, and the previous string value (null when absent or GET not asked). */
    public record SetResult(boolean written, byte[] previous) {
    }

    /** The string under {@code key}, or null. O(1). */
    public static byte[] get(Keyspace keyspace, Bytes key) {
        RedisString s = keyspace.get(key, RedisString.class);
        return s == null ? null : s.bytes();
    }

    // tag::set[]
    /**
     * SET with its options. With GET, the old value must be a string or nothing happens (WRONGTYPE), even when
     * NX/XX would have prevented the write. An expiry in the past (EXAT/PXAT) still stores the key, as Redis 7.0
     * does: it is already expired, invisible to reads, and counted by DBSIZE until it is reclaimed. O(1).
     */
    public static SetResult set(Keyspace keyspace, Bytes key, byte[] value, SetOptions options) {
        byte[] previous = null;
        boolean exists;
        if (options.get()) {
            previous = get(keyspace, key);
            exists = previous != null || keyspace.exists(key);
        } else {
            exists = keyspace.exists(key);
        }
        boolean allowed = switch (options.condition()) {
            case ALWAYS -> true;
            case NX -> !exists;
            case XX -> exists;
        };
        if (!allowed) {
            return new SetResult(false, previous);
        }
        RedisString string = new RedisString(value);
        if (options.keepTtl()) {
            keyspace.setKeepTtl(key, string);
        } else {
            keyspace.setExpiring(key, string, options.expireAtMillis());
        }
        return new SetResult(true, previous);
    }
    // end::set[]

    /**
     * MSET: stores every pair, clearing expiries. The keys and values alternate in {@code pairs} from index
     * {@code from} on, as MSET's arguments arrive: taking them there spares two lists per call. O(N) for N keys.
     */
    public static void mset(Keyspace keyspace, byte[][] pairs, int from) {
        for (int i = from; i + 1 < pairs.length; i += 2) {
            keyspace.set(Bytes.of(pairs[i]), new RedisString(pairs[i + 1]));
        }
    }

    /**
     * MSETNX: stores every pair (as {@link #mset}) only if none of the keys exists (of any type); true when it
     * stored. O(N).
     */
    public static boolean msetnx(Keyspace keyspace, byte[][] pairs, int from) {
        for (int i = from; i + 1 < pairs.length; i += 2) {
            if (keyspace.exists(Bytes.of(pairs[i]))) {
                return false;
            }
        }
        mset(keyspace, pairs, from);
        return true;
    }

    /** GETDEL: the string, then the key is deleted. O(1). */
    public static byte[] getDel(Keyspace keyspace, Bytes key) {
        byte[] value = get(keyspace, key);
        if (value != null) {
            keyspace.remove(key);
        }
        return value;
    }

    /**
     * GETEX: the string, and the key's expiry changed: {@code persist} removes it, otherwise
     * {@code expireAtMillis >= 0} sets it (a past time deletes the key after reading it), -1 leaves it. O(1).
     */
    public static byte[] getEx(Keyspace keyspace, Bytes key, long expireAtMillis, boolean persist) {
        byte[] value = get(keyspace, key);
        if (value != null) {
            if (persist) {
                keyspace.persist(key);
            } else if (expireAtMillis >= 0) {
                keyspace.expireAt(key, expireAtMillis);
            }
        }
        return value;
    }

    /** STRLEN: the length in bytes, 0 when absent. O(1). */
    public static long strlen(Keyspace keyspace, Bytes key) {
        RedisString s = keyspace.get(key, RedisString.class);
        return s == null ? 0 : s.length();
    }

    // tag::append[]
    /**
     * APPEND: the string grows by {@code suffix} (or is created), keeping its expiry; returns the new length.
     * O(N) here, as the bytes are copied (Redis's sds strings reserve spare room and make it amortized O(1)).
     *
     * @throws RedisException {@link #TOO_LONG} beyond {@code proto-max-bulk-len}
     */
    public static long append(Keyspace keyspace, Bytes key, byte[] suffix) {
        RedisString current = keyspace.get(key, RedisString.class);
        if (current == null) {
            keyspace.set(key, new RedisString(suffix));
            return suffix.length;
        }
        byte[] old = current.bytes();
        checkLength(keyspace, (long) old.length + suffix.length);
        byte[] grown = Arrays.copyOf(old, old.length + suffix.length);
        System.arraycopy(suffix, 0, grown, old.length, suffix.length);
        keyspace.setKeepTtl(key, RedisString.raw(grown));
        return grown.length;
    }
    // end::append[]

    // tag::getrange[]
    /**
     * GETRANGE: the bytes from {@code start} to {@code end} inclusive; negative indexes count from the end and
     * out-of-range ones are clamped. Keeps Redis 7.0's quirks: when both are negative and start > end the
     * result is empty, but an end far before the beginning is clamped to 0, so {@code GETRANGE k 0 -100} on
     * "abc" is "a". O(N) in the length returned.
     */
    public static byte[] getRange(Keyspace keyspace, Bytes key, long start, long end) {
        RedisString s = keyspace.get(key, RedisString.class);
        if (s == null) {
            return new byte[0];
        }
        long length = s.length();
        if (start < 0 && end < 0 && start > end) {
            return new byte[0];
        }
        if (start < 0) {
            start = Math.max(0, length + start);
        }
        if (end < 0) {
            end = Math.max(0, length + end);
        }
        end = Math.min(end, length - 1);
        if (start > end || length == 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(s.bytes(), (int) start, (int) end + 1);
    }
    // end::getrange[]

    // tag::setrange[]
    /**
     * SETRANGE: overwrites the string from {@code offset}, padding with zero bytes when the string is shorter,
     * keeping the expiry; returns the new length. An empty {@code value} changes nothing (and creates no key).
     * O(N) in the resulting length.
     *
     * @throws RedisException {@link #OFFSET_OUT_OF_RANGE} for a negative offset, {@link #TOO_LONG} beyond
     *                        {@code proto-max-bulk-len}
     */
    public static long setRange(Keyspace keyspace, Bytes key, long offset, byte[] value) {
        if (offset < 0) {
            throw new RedisException(OFFSET_OUT_OF_RANGE);
        }
        RedisString current = keyspace.get(key, RedisString.class);
        byte[] old = current == null ? new byte[0] : current.bytes();
        if (value.length == 0) {
            return old.length;
        }
        if (offset > keyspace.limits().maxStringLength() - value.length || offset > Integer.MAX_VALUE - 8 - value.length) { // no long overflow
            throw new RedisException(TOO_LONG);
        }
        int needed = (int) offset + value.length;
        byte[] result = needed > old.length ? Arrays.copyOf(old, needed) : old.clone();
        System.arraycopy(value, 0, result, (int) offset, value.length);
        if (current == null) {
            keyspace.set(key, RedisString.raw(result));
        } else {
            keyspace.setKeepTtl(key, RedisString.raw(result));
        }
        return result.length;
    }
    // end::setrange[]

    // tag::incrby[]
    /**
     * INCRBY (and INCR, DECR): adds {@code delta} to the integer under {@code key} (0 when absent), keeping the
     * expiry; returns the new value. O(1).
     *
     * @throws RedisException {@link RedisNumbers#NOT_AN_INTEGER} when the value is not a 64-bit integer,
     *                        {@link #OVERFLOW} when the result would not fit in 64 bits
     */
    public static long incrBy(Keyspace keyspace, Bytes key, long delta) {
        RedisString current = keyspace.get(key, RedisString.class);
        long value = current == null ? 0 : RedisNumbers.parseLong(current.bytes());
        long result = value + delta;
        if (((value ^ result) & (delta ^ result)) < 0) { // both operands' signs differ from the result's
            throw new RedisException(OVERFLOW);
        }
        keyspace.setKeepTtl(key, RedisString.of(result));
        return result;
    }
    // end::incrby[]

    /**
     * DECRBY: subtracts {@code delta}. O(1).
     *
     * @throws RedisException {@link #DECREMENT_OVERFLOW} for a delta of -2^63, which cannot be negated,
     *                        otherwise as {@link #incrBy}
     */
    public static long decrBy(Keyspace keyspace, Bytes key, long delta) {
        if (delta == Long.MIN_VALUE) {
            throw new RedisException(DECREMENT_OVERFLOW);
        }
        return incrBy(keyspace, key, -delta);
    }

    /**
     * INCRBYFLOAT: adds {@code increment} in C long double precision and stores the result as Redis formats it
     * (see {@link RedisNumbers#incrByFloat}), keeping the expiry; returns the stored text. O(1).
     *
     * @throws RedisException {@link RedisNumbers#NOT_A_FLOAT} or {@link RedisNumbers#INCREMENT_INFINITY}
     */
    public static byte[] incrByFloat(Keyspace keyspace, Bytes key, byte[] increment) {
        RedisString current = keyspace.get(key, RedisString.class);
        byte[] result = RedisNumbers.incrByFloat(current == null ? null : current.bytes(), increment);
        keyspace.setKeepTtl(key, RedisString.formatted(result));
        return result;
    }

    private static void checkLength(Keyspace keyspace, long length) {
        if (length > keyspace.limits().maxStringLength()) {
            throw new RedisException(TOO_LONG);
        }
    }
}
