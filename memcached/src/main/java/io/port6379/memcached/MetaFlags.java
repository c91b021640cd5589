// The flags of a meta command (mg, ms, md, ma), read and checked as memcached 1.6's _meta_flag_preparse does.
package io.port6379.memcached;

/**
 * A meta command is {@code <mg|ms|md|ma> <key> [<datalen>] <flag>*}: each flag is one letter, some followed by a
 * number or a token ({@code T30}, {@code Oopaque}, {@code MA}). Most flags ask for something in the reply
 * ({@code v} the value, {@code c} the CAS, {@code f} the client flags, {@code s} the size, {@code t} the TTL left,
 * {@code k} the key, {@code O} an opaque token echoed back, {@code h} whether it was fetched before, {@code l} the
 * seconds since its last access); the reply answers them in the order they were asked, so the server walks
 * {@link #tokens} again. The others change what the command does; they are read here, once.
 *
 * @param tokens        the flag tokens as sent, in order
 * @param binaryKey     {@code b}: the key was sent in base64 (already decoded in the request)
 * @param quiet         {@code q}: the nominal reply (HD, or EN for mg) is left out
 * @param value         {@code v}: the reply carries the value (VA)
 * @param noUpdate      {@code u}: the read does not count as an access
 * @param vivify        {@code N<ttl>}: a miss creates an empty item with that TTL (mg) or the initial value (ma)
 * @param vivifyExptime N's TTL, as an exptime
 * @param hasTtl        {@code T<ttl>} was sent
 * @param exptime       T's TTL, as an exptime (memcached's: seconds, or a Unix time past 30 days, negative gone)
 * @param hasRecache    {@code R<ttl>} was sent: a hit with less TTL left than that wins the token to recache
 * @param recacheTime   R's TTL, as an exptime
 * @param hasCas        {@code C<cas>} was sent: the command applies only to the item with that CAS unique
 * @param cas           C's unique
 * @param clientFlags   {@code F<flags>}: ms's client flags
 * @param mode          {@code M<mode>}: ms's E A P R S, ma's I + D -, or 0
 * @param delta         {@code D<delta>}: ma's delta (1 when not sent)
 * @param initial       {@code J<initial>}: ma's initial value when N creates the item
 * @param invalidate    {@code I}: md marks the item stale instead of deleting it; ms may store over a newer CAS
 */
public record MetaFlags(byte[][] tokens, boolean binaryKey, boolean quiet, boolean value, boolean noUpdate,
                        boolean vivify, long vivifyExptime, boolean hasTtl, long exptime, boolean hasRecache,
                        long recacheTime, boolean hasCas, long cas, int clientFlags, byte mode, long delta,
                        long initial, boolean invalidate) {

    /** memcached's MFLAG_MAX_OPT_LENGTH: a meta line has at most this many tokens, counting its terminal one. */
    static final int MAX_OPT_LENGTH = 20;
    /** memcached's MFLAG_MAX_OPAQUE_LENGTH, counting the O. */
    static final int MAX_OPAQUE_LENGTH = 32;
}
