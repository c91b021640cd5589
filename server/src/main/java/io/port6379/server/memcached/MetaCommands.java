// memcached's meta commands (mg, ms, md, ma) on database 0: one command per verb, its reply shaped by its flags.
package io.port6379.server.memcached;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.memcached.MetaFlags;
import io.port6379.memcached.Numbers;
import io.port6379.memcached.TextReplies;
import io.port6379.memcached.TextRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The meta protocol of memcached 1.6 answers with two-letter codes: {@code HD} (done), {@code VA <len>} (done, and
 * here is the value), {@code EN} (mg's miss), {@code NF} (not found), {@code NS} (not stored), {@code EX} (the CAS
 * did not match). After the code come the flags the request asked for, in the order it asked: {@code mg foo s v t
 * c} answers {@code VA 3 s3 t-1 c42}. Quiet mode ({@code q}) leaves out the nominal replies (HD, and mg's EN), so a
 * pipeline of quiet commands answers only its failures, and an {@code mn} at its end says it is over.
 *
 * <p>Beyond get and set, the meta commands carry memcached's answer to the thundering herd: a miss can create an
 * empty item ({@code N}) and hand one client the win token ({@code W}) to fill it while the others see {@code Z};
 * {@code md key I} marks an item stale ({@code X}) instead of deleting it, so clients keep serving the old value
 * while one of them recaches it; {@code R} wins the token for an item about to expire. That state is kept with the
 * flags and the CAS beside the value ({@link Items.Meta}).
 *
 * <p>Every write goes through {@link TextCommands#write} (a Redis SET through the dispatcher), as the classic
 * commands' do.
 */
final class MetaCommands {

    private MetaCommands() {
    }

    /** mg: a hit answers VA (with v) or HD and the flags asked for; a miss EN, or creates the item with N. */
    static void get(TextCommands c, TextRequest request, TextReplies out) {
        MetaFlags f = request.meta();
        byte[] key = request.key();
        long now = c.server.clock().millis();
        RedisValue value = c.db().get(Bytes.of(key));
        boolean created = false;
        if (value == null && f.vivify()) {
            long at = c.expireAt(f.vivifyExptime());
            c.write(key, new byte[0], 0, at == TextCommands.EXPIRED ? 0 : at, false);
            value = c.db().get(Bytes.of(key));
            created = value != null;
        }
        Items.Stats stats = c.items.stats;
        if (!(value instanceof RedisString string)) {
            if (f.hasTtl()) {
                stats.cmdTouch++;
                stats.touchMisses++;
            } else {
                stats.cmdGet++;
                stats.getMisses++;
            }
            if (!f.quiet()) {
                out.line(echo(new StringBuilder("EN"), f, key, f.binaryKey()).toString());
            }
            return;
        }
        // tag::mg[]
        Items.Meta m = c.items.meta(string);
        byte[] data = string.bytes();
        StringBuilder line = new StringBuilder(f.value() ? "VA " + data.length : "HD");
        boolean won = false;
        for (byte[] token : f.tokens()) {
            switch (token[0]) {
                case 'T' -> c.expire(key, c.expireAt(f.exptime()));
                case 'N' -> won |= created;
                case 'R' -> {
                    long ttl = ttlSeconds(c, key, now);
                    won |= !m.tokenSent && !created && ttl >= 0 && ttl < seconds(c, f.recacheTime(), now);
                }
                case 's' -> line.append(" s").append(data.length);
                case 't' -> line.append(" t").append(ttlSeconds(c, key, now));
                case 'c' -> line.append(" c").append(Long.toUnsignedString(m.cas));
                case 'f' -> line.append(" f").append(Integer.toUnsignedString(m.flags));
                case 'l' -> line.append(" l").append((now - m.accessed) / 1000);
                case 'h' -> line.append(m.fetched ? " h1" : " h0");
                case 'O' -> line.append(' ').append(text(token));
                case 'k' -> key(line, key, m.binaryKey);
                default -> {
                }
            }
        }
        if (m.tokenSent) {
            line.append(" Z");
        }
        if (m.stale) {
            line.append(" X");
            won |= !m.tokenSent;
        }
        if (won) {
            line.append(" W");
            m.tokenSent = true;
        }
        // end::mg[]
        if (!f.noUpdate()) {
            m.fetched = true;
            m.accessed = now;
        }
        if (f.hasTtl()) {
            stats.cmdTouch++;
            stats.touchHits++;
        } else {
            stats.cmdGet++;
            stats.getHits++;
        }
        out.line(line.toString());
        if (f.value()) {
            out.block(data);
        }
    }

    /** ms: set by default; M switches to add (E), append (A), prepend (P), replace (R); C makes it a CAS. */
    static void set(TextCommands c, TextRequest request, TextReplies out) {
        MetaFlags f = request.meta();
        byte[] key = request.key();
        Items.Stats stats = c.items.stats;
        stats.cmdSet++;
        RedisValue old = c.db().get(Bytes.of(key));
        RedisString oldString = old instanceof RedisString s ? s : null;
        Items.Meta oldMeta = oldString == null ? null : c.items.meta(oldString);
        byte mode = f.mode() == 0 ? (byte) 'S' : f.mode();
        boolean cas = f.hasCas() && (mode == 'S' || mode == 'R');
        byte[] data = request.data();
        long expireAt = c.expireAt(f.hasTtl() ? f.exptime() : 0);
        String status = null;
        boolean keepTtl = false;
        boolean stale = false;
        if (cas) {
            if (old == null) {
                stats.casMisses++;
                status = "NF";
            } else if (oldMeta != null && oldMeta.cas == f.cas()) {
                stats.casHits++;
            } else if (oldMeta != null && f.invalidate() && Long.compareUnsigned(f.cas(), oldMeta.cas) < 0) {
                keepTtl = true; // stored over a newer item: it keeps that item's TTL, and is stale
                stale = true;
            } else {
                stats.casBadval++;
                status = "EX";
            }
        } else if (mode == 'E' && old != null || mode == 'R' && old == null) {
            status = "NS";
        } else if (mode == 'A' || mode == 'P') {
            if (oldString == null) {
                status = "NS";
            } else if (f.hasCas() && f.cas() != 0 && oldMeta.cas != f.cas()) {
                status = "EX";
            } else {
                byte[] front = mode == 'A' ? oldString.bytes() : data;
                byte[] back = mode == 'A' ? data : oldString.bytes();
                data = Arrays.copyOf(front, front.length + back.length);
                System.arraycopy(back, 0, data, front.length, back.length);
                keepTtl = true;
            }
        }
        long newCas = 0;
        if (status == null) {
            int flags = (mode == 'A' || mode == 'P') ? oldMeta.flags : f.clientFlags();
            if (!keepTtl && expireAt == TextCommands.EXPIRED) {
                c.run("del", key);
                status = "HD";
            } else {
                String refusal = c.write(key, data, flags, keepTtl ? 0 : expireAt, keepTtl);
                if (refusal != null) {
                    out.line(c.stored(refusal));
                    return;
                }
                Items.Meta m = c.written();
                if (m != null) {
                    m.binaryKey = f.binaryKey();
                    m.stale = stale;
                    m.tokenSent = stale && oldMeta.tokenSent;
                    newCas = m.cas;
                }
                status = "HD";
            }
        }
        if (status.equals("HD") && f.quiet()) {
            return;
        }
        StringBuilder line = new StringBuilder(status);
        for (byte[] token : f.tokens()) {
            switch (token[0]) {
                case 'O' -> line.append(' ').append(text(token));
                case 'k' -> key(line, key, f.binaryKey());
                case 'c' -> line.append(" c").append(Long.toUnsignedString(newCas));
                default -> {
                }
            }
        }
        out.line(line.toString());
    }

    /** md: deletes, or with I marks the item stale (new CAS, T's TTL); C deletes only that CAS. */
    static void delete(TextCommands c, TextRequest request, TextReplies out) {
        MetaFlags f = request.meta();
        byte[] key = request.key();
        Items.Stats stats = c.items.stats;
        RedisValue value = c.db().get(Bytes.of(key));
        Items.Meta m = value instanceof RedisString s ? c.items.meta(s) : null;
        String status;
        if (value == null) {
            stats.deleteMisses++;
            status = "NF";
        } else if (f.hasCas() && (m == null || m.cas != f.cas())) {
            stats.deleteMisses++;
            status = "EX";
        } else if (f.invalidate() && m != null) {
            if (f.hasTtl()) {
                c.expire(key, c.expireAt(f.exptime()));
            }
            m.stale = true;
            m.tokenSent = false;
            m.cas = c.items.nextCas();
            status = "HD";
        } else {
            c.run("del", key);
            stats.deleteHits++;
            status = "HD";
        }
        if (status.equals("HD") && f.quiet()) {
            return;
        }
        out.line(echo(new StringBuilder(status), f, key, f.binaryKey()).toString());
    }

    /** ma: incr (or decr with MD) by D, default 1; N creates a missing item with J's value. */
    static void arithmetic(TextCommands c, TextRequest request, TextReplies out) {
        MetaFlags f = request.meta();
        byte[] key = request.key();
        boolean incr = f.mode() == 0 || f.mode() == 'I' || f.mode() == '+';
        long now = c.server.clock().millis();
        Items.Stats stats = c.items.stats;
        RedisValue value = c.db().get(Bytes.of(key));
        boolean created = false;
        long result;
        if (value == null) {
            if (!f.vivify()) {
                if (incr) {
                    stats.incrMisses++;
                } else {
                    stats.decrMisses++;
                }
                out.line(echo(new StringBuilder("NF"), f, key, f.binaryKey()).toString());
                return;
            }
            result = f.initial();
            long at = c.expireAt(f.vivifyExptime());
            String refusal = c.write(key, digits(result), 0, at == TextCommands.EXPIRED ? 0 : at, false);
            if (refusal != null) {
                out.line("SERVER_ERROR Out of memory allocating new item");
                return;
            }
            created = true;
        } else {
            Items.Meta m = value instanceof RedisString s ? c.items.meta(s) : null;
            if (f.hasCas() && f.cas() != 0 && (m == null || m.cas != f.cas())) {
                out.line(echo(new StringBuilder("EX"), f, key, f.binaryKey()).toString());
                return;
            }
            byte[] old = value instanceof RedisString s ? s.bytes() : new byte[0];
            long[] number = new long[1];
            if (old.length == 0 || !Numbers.strtoull(old, 0, old.length, number)) {
                out.line("CLIENT_ERROR cannot increment or decrement non-numeric value");
                return;
            }
            result = incr ? number[0] + f.delta()
                    : Long.compareUnsigned(f.delta(), number[0]) > 0 ? 0 : number[0] - f.delta();
            byte[] stored = digits(result);
            if (stored.length < old.length) { // memcached rewrites the number in place, padded with spaces
                stored = Arrays.copyOf(stored, old.length);
                Arrays.fill(stored, digits(result).length, old.length, (byte) ' ');
            }
            String refusal = c.write(key, stored, m == null ? 0 : m.flags, 0, true);
            if (refusal != null) {
                out.line(refusal.startsWith("OOM ") ? "SERVER_ERROR out of memory" : "SERVER_ERROR " + refusal);
                return;
            }
            if (incr) {
                stats.incrHits++;
            } else {
                stats.decrHits++;
            }
            if (f.quiet()) {
                return;
            }
        }
        Items.Meta m = c.written();
        byte[] digits = digits(result);
        StringBuilder line = new StringBuilder(f.value() ? "VA " + digits.length : "HD");
        for (byte[] token : f.tokens()) {
            switch (token[0]) {
                case 'c' -> line.append(" c").append(m == null ? "0" : Long.toUnsignedString(m.cas));
                case 't' -> line.append(" t").append(ttlSeconds(c, key, now));
                case 'T' -> c.expire(key, c.expireAt(f.exptime()));
                case 'O' -> line.append(' ').append(text(token));
                case 'k' -> key(line, key, f.binaryKey());
                default -> {
                }
            }
        }
        out.line(line.toString());
        if (f.value()) {
            out.line(new String(digits, StandardCharsets.US_ASCII));
        }
        if (created && m != null) {
            m.binaryKey = f.binaryKey();
        }
    }

    /**
     * me: {@code ME <key> exp=<-ttl> la=<idle> cas=<unique> fetch=<yes|no> cls=<class> size=<bytes>}, memcached's
     * debug line (its exp counts down as a negative number, -1 for none), or EN. The class and size are those
     * memcached would give the item ({@link SlabClasses}).
     */
    static void debug(TextCommands c, TextRequest request, TextReplies out) {
        byte[] key = request.key();
        long now = c.server.clock().millis();
        if (!(c.db().get(Bytes.of(key)) instanceof RedisString string)) {
            out.line("EN");
            return;
        }
        Items.Meta m = c.items.meta(string);
        long ttl = ttlSeconds(c, key, now);
        long size = SlabClasses.itemSize(key.length, m.flags, string.bytes().length);
        StringBuilder line = new StringBuilder("ME ");
        line.append(m.binaryKey ? Base64.getEncoder().encodeToString(key) : text(key))
                .append(" exp=").append(ttl < 0 ? -1 : -ttl)
                .append(" la=").append((now - m.accessed) / 1000)
                .append(" cas=").append(Long.toUnsignedString(m.cas))
                .append(" fetch=").append(m.fetched ? "yes" : "no")
                .append(" cls=").append(SlabClasses.classOf(size))
                .append(" size=").append(size);
        out.line(line.toString());
    }

    /** The flags every reply echoes, miss or not: O's opaque token and k's key. */
    private static StringBuilder echo(StringBuilder line, MetaFlags f, byte[] key, boolean binary) {
        for (byte[] token : f.tokens()) {
            if (token[0] == 'O') {
                line.append(' ').append(text(token));
            } else if (token[0] == 'k') {
                key(line, key, binary);
            }
        }
        return line;
    }

    /** {@code k<key>}, or {@code k<base64> b} for a key that was sent in base64. */
    private static void key(StringBuilder line, byte[] key, boolean binary) {
        line.append(" k");
        if (binary) {
            line.append(Base64.getEncoder().encodeToString(key)).append(" b");
        } else {
            line.append(text(key));
        }
    }

    /** The TTL left in whole seconds, rounded up as memcached's clock counts it, or -1 for none. */
    private static long ttlSeconds(TextCommands c, byte[] key, long now) {
        long at = c.db().expireTime(Bytes.of(key));
        return at < 0 ? -1 : Math.max(0, (at - now + 999) / 1000);
    }

    /** An exptime as seconds from now (R's threshold); 0 for none. */
    private static long seconds(TextCommands c, long exptime, long now) {
        long at = c.expireAt(exptime);
        return at <= 0 ? 0 : (at - now + 999) / 1000;
    }

    private static byte[] digits(long unsigned) {
        return Long.toUnsignedString(unsigned).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
