// memcached's text protocol, bytes to requests: a streaming decoder that follows memcached 1.6's proto_text.c.
package io.port6379.memcached;

import io.port6379.memcached.TextRequest.Command;

import java.util.Arrays;

/**
 * Bytes in any chunks, requests out. The wire, as memcached 1.6 reads it:
 *
 * <pre>
 *   set &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; [noreply]\r\n      a storage line: set add replace append prepend
 *   cas &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; &lt;cas unique&gt; [noreply]\r\n
 *   &lt;data block of exactly bytes bytes&gt;\r\n                      then the data, length-prefixed by the line
 *   get|gets &lt;key&gt;*\r\n    gat|gats &lt;exptime&gt; &lt;key&gt;*\r\n
 *   incr|decr &lt;key&gt; &lt;delta&gt; [noreply]\r\n   delete &lt;key&gt; [0] [noreply]\r\n   touch &lt;key&gt; &lt;exptime&gt; [noreply]\r\n
 *   flush_all [delay] [noreply]\r\n   version\r\n   verbosity &lt;n&gt; [noreply]\r\n   stats [args]\r\n   quit\r\n
 * </pre>
 *
 * A line ends at {@code \n} (a {@code \r} before it is dropped) and splits into tokens at single spaces only, so a
 * tab is part of a token. Numbers are read as C's {@code strtol}/{@code strtoull} read them (memcached's
 * {@code safe_strto*}): leading white space and a sign are allowed, and the number may be followed by white space
 * inside its token. The states: reading a line; reading a storage command's data block (its length is known, so
 * the block is copied once); swallowing the data block of an item refused as too large.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class TextDecoder {

    /** memcached's KEY_MAX_LENGTH. */
    public static final int KEY_MAX_LENGTH = 250;
    /** memcached's REALTIME_MAXDELTA: an exptime above it is an absolute Unix time. */
    public static final long REALTIME_MAXDELTA = 60L * 60 * 24 * 30;
    /** A line without a newline after this many bytes must be a multi-get, or the connection is closed. */
    static final int LINE_CHECK = 2048;
    /** The longest multi-get line we buffer (memcached's grows without bound). */
    static final int MAX_LINE = 1 << 20;
    /** memcached 1.6's tokenizer stops at 24 tokens (the last one is the terminal); more count as too many. */
    private static final int MAX_TOKENS = 24;
    /** sizeof(item) on 64-bit memcached 1.6, and the CAS it stores with every item. */
    private static final int ITEM_HEADER = 48;
    private static final int CAS_SIZE = 8;

    private final long maxItemSize;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    /** A storage command waiting for its data block of {@link #blockLength} bytes plus {@code \r\n}. */
    private TextRequest pending;
    private int blockLength;
    /** Where the search for the current line's newline goes on: the bytes before it hold none. */
    private int searched;
    /** Bytes of a refused data block still to drop. */
    private long swallow;
    /** Token boundaries of the current line. */
    private int[] tokenStart = new int[MAX_TOKENS];
    private int[] tokenEnd = new int[MAX_TOKENS];
    private int tokens;
    /** The last number {@link #parseU64} or {@link #parseInt32} read. */
    private long parsed;
    private final long[] number = new long[1];

    /** A decoder that refuses items bigger than {@code maxItemSize} bytes as memcached's {@code -I} does. */
    public TextDecoder(long maxItemSize) {
        this.maxItemSize = maxItemSize;
    }

    /** Appends received bytes. O(length), amortized. */
    public void feed(byte[] bytes, int offset, int length) {
        if (end + length > buffer.length) {
            int used = end - start;
            if (used + length <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, used);
            } else {
                byte[] bigger = new byte[Math.max(buffer.length * 2, used + length)];
                System.arraycopy(buffer, start, bigger, 0, used);
                buffer = bigger;
            }
            searched = Math.max(0, searched - start);
            start = 0;
            end = used;
        }
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    /** Bytes received and not yet decoded. */
    public int buffered() {
        return end - start;
    }

    /** The next complete request, or null until more bytes arrive. */
    public TextRequest next() {
        while (true) {
            if (swallow > 0) {
                int dropped = (int) Math.min(swallow, end - start);
                start += dropped;
                swallow -= dropped;
                if (swallow > 0) {
                    return null;
                }
            }
            if (pending != null) {
                return block();
            }
            if (start == end) {
                start = end = searched = 0; // an empty buffer starts again at 0, so a small one never has to move
                return null;
            }
            int newline = indexOf((byte) '\n', Math.max(start, searched), end);
            if (newline < 0) {
                searched = end; // a long multi-get arrives in many reads: each is searched once, not the line again
                return tooLongWithoutNewline() ? TextRequest.of(Command.CLOSE) : null;
            }
            int lineEnd = newline - start > 1 && buffer[newline - 1] == '\r' ? newline - 1 : newline;
            int lineStart = start;
            start = newline + 1;
            TextRequest request = line(lineStart, lineEnd);
            if (request.command().stores() && request.data() == null) {
                pending = request;
                continue;
            }
            return request;
        }
    }

    /** The data block of {@link #pending}, once all of it and the two bytes after it are here. */
    private TextRequest block() {
        if (end - start < blockLength + 2) {
            return null;
        }
        byte[] data = Arrays.copyOfRange(buffer, start, start + blockLength);
        boolean terminated = buffer[start + blockLength] == '\r' && buffer[start + blockLength + 1] == '\n';
        start += blockLength + 2;
        TextRequest request = pending;
        pending = null;
        boolean noreply = request.command() != Command.MS && request.noreply(); // ms shows every error
        return terminated ? request.withData(data) : TextRequest.error("CLIENT_ERROR bad data chunk", noreply);
    }

    /** memcached closes a connection whose first 2 KB hold no newline, unless they start a get or gets. */
    private boolean tooLongWithoutNewline() {
        int length = end - start;
        if (length <= LINE_CHECK) {
            return false;
        }
        int p = start;
        while (p < end && buffer[p] == ' ') {
            p++;
        }
        return p - start > 100 || !(startsWith(p, "get ") || startsWith(p, "gets ")) || length > MAX_LINE;
    }

    private boolean startsWith(int p, String prefix) {
        if (end - p < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buffer[p + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // tag::dispatch[]
    /** One request line, as memcached's {@code process_command_ascii}; {@code n} counts the terminal token too. */
    private TextRequest line(int from, int to) {
        tokenize(from, to, 0, MAX_TOKENS - 1);
        int n = tokens + 1;
        if (n < 2 || length(0) < 2) {
            return TextRequest.error("ERROR", false);
        }
        byte first = buffer[tokenStart[0]];
        if (first == 'm' && length(0) == 2) { // the meta commands are all two letters
            return switch (buffer[tokenStart[0] + 1]) {
                case 'n' -> TextRequest.of(Command.MN);
                case 'g' -> meta(Command.MG, n);
                case 's' -> meta(Command.MS, n);
                case 'd' -> meta(Command.MD, n);
                case 'a' -> meta(Command.MA, n);
                case 'e' -> metaDebug(n);
                default -> TextRequest.error("ERROR", false);
            };
        }
        if (first == 'g') {
            Command get = is(0, "get") ? Command.GET : is(0, "gets") ? Command.GETS
                    : is(0, "gat") ? Command.GAT : is(0, "gats") ? Command.GATS : null;
            return get == null || n < 3 ? TextRequest.error("ERROR", false) : retrieval(get, from, to);
        }
        Command storage = is(0, "set") ? Command.SET : is(0, "add") ? Command.ADD : is(0, "replace") ? Command.REPLACE
                : is(0, "append") ? Command.APPEND : is(0, "prepend") ? Command.PREPEND : is(0, "cas") ? Command.CAS : null;
        if (storage != null) {
            int base = storage == Command.CAS ? 7 : 6;
            return n == base || n == base + 1 ? update(storage, n) : TextRequest.error("ERROR", false);
        }
        if (is(0, "incr") || is(0, "decr")) {
            return n == 4 || n == 5 ? arithmetic(is(0, "incr") ? Command.INCR : Command.DECR, n) : TextRequest.error("ERROR", false);
        }
        if (is(0, "delete")) {
            return n >= 3 && n <= 5 ? delete(n) : TextRequest.error("ERROR", false);
        }
        if (is(0, "touch")) {
            return n == 4 || n == 5 ? touch(n) : TextRequest.error("ERROR", false);
        }
        if (is(0, "stats")) {
            return new TextRequest(Command.STATS, keys(1, tokens), 0, 0, null, 0, false, null);
        }
        if (is(0, "flush_all")) {
            return n >= 2 && n <= 4 ? flushAll(n) : TextRequest.error("ERROR", false);
        }
        if (is(0, "version")) {
            return TextRequest.of(Command.VERSION);
        }
        if (is(0, "quit")) {
            return TextRequest.of(Command.QUIT);
        }
        if (is(0, "verbosity")) {
            if (n != 3 && n != 4) {
                return TextRequest.error("ERROR", false);
            }
            boolean noreply = noreply(n);
            return parseU64(1) ? new TextRequest(Command.VERBOSITY, TextRequest.NO_KEYS, 0, 0, null, parsed, noreply, null)
                    : TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        if (startsWith(tokenStart[tokens - 1], "HTTP/")) {
            return TextRequest.of(Command.CLOSE); // a browser pointed at the port: memcached hangs up
        }
        return TextRequest.error("ERROR", false);
    }
    // end::dispatch[]

    /** get, gets, gat, gats: every key on the line (memcached tokenizes a long line again in slices of 23). */
    private TextRequest retrieval(Command command, int from, int to) {
        boolean touches = command == Command.GAT || command == Command.GATS;
        long exptime = 0;
        if (touches) {
            if (!parseInt32(1)) {
                return TextRequest.error("CLIENT_ERROR invalid exptime argument", false);
            }
            exptime = parsed;
        }
        tokenize(from, to, 0, Integer.MAX_VALUE);
        int first = touches ? 2 : 1;
        for (int i = first; i < tokens; i++) {
            if (length(i) > KEY_MAX_LENGTH) { // memcached then drops the replies it had not sent yet
                return new TextRequest(Command.REJECTED_GET, TextRequest.NO_KEYS, 0, 0, null, 0, false,
                        "CLIENT_ERROR bad command line format");
            }
        }
        return new TextRequest(command, keys(first, tokens), 0, exptime, null, 0, false, null);
    }

    // tag::update[]
    /** set, add, replace, append, prepend, cas: memcached's {@code process_update_command}, checks in its order. */
    private TextRequest update(Command command, int n) {
        boolean noreply = noreply(n);
        if (length(1) > KEY_MAX_LENGTH) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        if (!parseU64(2)) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        int flags = (int) parsed; // memcached keeps the low 32 bits of what strtoul read
        if (!parseInt32(3)) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        long exptime = parsed;
        if (!parseInt32(4)) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        long length = (int) parsed; // memcached reads it into an int32_t
        long cas = 0;
        if (command == Command.CAS) {
            if (!parseU64(5)) {
                return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
            }
            cas = parsed;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 2) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        byte[] key = token(1);
        if (!fits(key.length, flags, length)) {
            swallow = length + 2;
            String refusal = "SERVER_ERROR object too large for cache";
            return command == Command.SET
                    ? new TextRequest(Command.REJECTED_SET, new byte[][] {key}, 0, 0, null, 0, noreply, refusal)
                    : TextRequest.error(refusal, noreply);
        }
        blockLength = (int) length;
        return new TextRequest(command, new byte[][] {key}, flags, exptime, null, cas, noreply, null);
    }
    // end::update[]

    /**
     * mg, ms, md, ma: {@code <cmd> <key> [<datalen>] <flag>*}, checked in the order of memcached's
     * process_m*_command and _meta_flag_preparse. Their errors are shown even in quiet mode; an ms refused after its
     * data length was read has its data block swallowed.
     */
    // tag::meta[]
    private TextRequest meta(Command command, int n) {
        boolean ms = command == Command.MS;
        if (n < 3) {
            return TextRequest.error("ERROR", false);
        }
        if (length(1) > KEY_MAX_LENGTH || ms && n == 3) {
            return TextRequest.error(BAD_FORMAT, false);
        }
        if (n > MetaFlags.MAX_OPT_LENGTH) {
            return TextRequest.error(command == Command.MG ? "CLIENT_ERROR options flags are too long"
                    : "CLIENT_ERROR options flags too long", false);
        }
        long dataLength = 0;
        if (ms) {
            if (!parseInt32(2) || parsed < 0 || parsed > Integer.MAX_VALUE - 2) {
                return TextRequest.error(BAD_FORMAT, false);
            }
            dataLength = parsed;
        }
        byte[] key = token(1);
        int first = ms ? 3 : 2;
        // end::meta[]
        String problem = null;
        boolean binary = false, quiet = false, value = false, noUpdate = false, vivify = false, hasTtl = false;
        boolean hasRecache = false, hasCas = false, invalidate = false;
        long vivifyExptime = 0, exptime = 0, recacheTime = 0, cas = 0, delta = 1, initial = 0;
        int clientFlags = 0;
        byte mode = 0;
        boolean[] seen = new boolean[127];
        for (int i = first; i < tokens; i++) {
            int flag = buffer[tokenStart[i]] & 0xff;
            if (flag >= 127 || seen[flag]) {
                problem = "CLIENT_ERROR duplicate flag";
                break;
            }
            seen[flag] = true;
            boolean known = true;
            switch (flag) {
                case 'b' -> {
                    binary = true;
                    key = base64(key);
                    if (key == null) {
                        problem = "CLIENT_ERROR error decoding key";
                        key = new byte[0];
                    }
                }
                case 'N', 'T', 'R' -> {
                    if (!parseInt32(i, 1)) {
                        problem = "CLIENT_ERROR bad token in command line format";
                    } else if (flag == 'N') {
                        vivify = true;
                        vivifyExptime = parsed;
                    } else if (flag == 'T') {
                        hasTtl = true;
                        exptime = parsed;
                    } else {
                        hasRecache = true;
                        recacheTime = parsed;
                    }
                }
                case 'l', 'O', 'P', 'L', 'k', 's', 't', 'c', 'f', 'h' -> {
                }
                case 'v' -> value = true;
                case 'u' -> noUpdate = true;
                case 'q' -> quiet = true;
                case 'F' -> {
                    if (parseU64(i, 1)) {
                        clientFlags = (int) parsed;
                    } else if (problem == null) { // memcached flags the error without a text of its own
                        problem = BAD_FORMAT;
                    }
                }
                case 'C' -> {
                    if (parseU64(i, 1)) {
                        hasCas = true;
                        cas = parsed;
                    } else {
                        problem = "CLIENT_ERROR bad token in command line format";
                    }
                }
                case 'M' -> {
                    if (length(i) != 2) {
                        problem = "CLIENT_ERROR incorrect length for M token";
                    } else {
                        mode = buffer[tokenStart[i] + 1];
                    }
                }
                case 'J' -> {
                    if (parseU64(i, 1)) {
                        initial = parsed;
                    } else {
                        problem = "CLIENT_ERROR invalid numeric initial value";
                    }
                }
                case 'D' -> {
                    if (parseU64(i, 1)) {
                        delta = parsed;
                    } else {
                        problem = "CLIENT_ERROR invalid numeric delta value";
                    }
                }
                case 'I' -> invalidate = true;
                default -> known = false;
            }
            if (!known) {
                problem = "CLIENT_ERROR invalid flag";
                break;
            }
        }
        if (problem == null && ms && "\0EAPRS".indexOf(mode) < 0) {
            problem = "CLIENT_ERROR invalid mode for ms M token";
        }
        if (problem == null) {
            for (int i = first; i < tokens; i++) {
                if (buffer[tokenStart[i]] == 'O' && length(i) > MetaFlags.MAX_OPAQUE_LENGTH) {
                    problem = "CLIENT_ERROR opaque token too long";
                }
            }
        }
        if (problem != null && (command == Command.MD || command == Command.MA)
                && !problem.equals("CLIENT_ERROR opaque token too long")) {
            problem = "CLIENT_ERROR invalid or duplicate flag";
        }
        if (problem == null && command == Command.MA && "\0I+D-".indexOf(mode) < 0) {
            problem = "CLIENT_ERROR invalid mode for ma M token";
        }
        if (problem == null && ms && !fits(key.length, clientFlags, dataLength)) {
            swallow = dataLength + 2;
            return new TextRequest(Command.REJECTED_SET, new byte[][] {key}, 0, 0, null, 0, false,
                    "SERVER_ERROR object too large for cache");
        }
        if (problem != null) {
            if (ms) {
                swallow = dataLength + 2;
            }
            return TextRequest.error(problem, false);
        }
        byte[][] flags = new byte[tokens - first][];
        for (int i = first; i < tokens; i++) {
            flags[i - first] = token(i);
        }
        MetaFlags meta = new MetaFlags(flags, binary, quiet, value, noUpdate, vivify, vivifyExptime, hasTtl, exptime,
                hasRecache, recacheTime, hasCas, cas, clientFlags, mode, delta, initial, invalidate);
        if (ms) {
            blockLength = (int) dataLength;
        }
        return new TextRequest(command, new byte[][] {key}, clientFlags, exptime, null, cas, quiet, null, meta);
    }

    private static final String BAD_FORMAT = "CLIENT_ERROR bad command line format";

    /** me: {@code me <key> [b]}, the item's internals on one line; its only flag is b, and only right after the key. */
    private TextRequest metaDebug(int n) {
        if (n < 3 || length(1) > KEY_MAX_LENGTH) {
            return TextRequest.error(BAD_FORMAT, false);
        }
        byte[] key = token(1);
        boolean binary = n >= 4 && is(2, "b");
        if (binary) {
            key = base64(key);
            if (key == null) {
                return TextRequest.error(BAD_FORMAT, false);
            }
        }
        MetaFlags flags = new MetaFlags(TextRequest.NO_KEYS, binary, false, false, true, false, 0, false, 0, false, 0,
                false, 0, 0, (byte) 0, 1, 0, false);
        return new TextRequest(Command.ME, new byte[][] {key}, 0, 0, null, 0, false, null, flags);
    }

    /** memcached's base64_decode: standard alphabet, padded to a multiple of 4; null when that fails or is empty. */
    private static byte[] base64(byte[] text) {
        if (text.length == 0 || text.length % 4 != 0) {
            return null;
        }
        try {
            byte[] decoded = java.util.Base64.getDecoder().decode(text);
            return decoded.length == 0 ? null : decoded;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@link #parseInt32} of token {@code i} after its first {@code skip} bytes (a flag's number). */
    private boolean parseInt32(int i, int skip) {
        long value = Numbers.strtol(buffer, tokenStart[i] + skip, tokenEnd[i]);
        if (value == Numbers.INVALID) {
            return false;
        }
        parsed = (int) value;
        return true;
    }

    /** {@link #parseU64} of token {@code i} after its first {@code skip} bytes. */
    private boolean parseU64(int i, int skip) {
        if (!Numbers.strtoull(buffer, tokenStart[i] + skip, tokenEnd[i], number)) {
            return false;
        }
        parsed = number[0];
        return true;
    }

    /** memcached's {@code item_size_ok}: the item's header, key, flags, data, CAS and two line ends in one slab chunk. */
    private boolean fits(int keyLength, int flags, long dataLength) {
        long total = ITEM_HEADER + keyLength + 1 + (flags == 0 ? 0 : 4) + dataLength + 2 + CAS_SIZE;
        return total <= maxItemSize;
    }

    private TextRequest arithmetic(Command command, int n) {
        boolean noreply = noreply(n);
        if (length(1) > KEY_MAX_LENGTH) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        if (!parseU64(2)) {
            return TextRequest.error("CLIENT_ERROR invalid numeric delta argument", noreply);
        }
        return new TextRequest(command, new byte[][] {token(1)}, 0, 0, null, parsed, noreply, null);
    }

    private TextRequest delete(int n) {
        boolean noreply = false;
        if (n > 3) {
            boolean holdIsZero = is(2, "0");
            noreply = noreply(n);
            boolean valid = n == 4 && (holdIsZero || noreply) || n == 5 && holdIsZero && noreply;
            if (!valid) {
                return TextRequest.error("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]", noreply);
            }
        }
        if (length(1) > KEY_MAX_LENGTH) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        return new TextRequest(Command.DELETE, new byte[][] {token(1)}, 0, 0, null, 0, noreply, null);
    }

    private TextRequest touch(int n) {
        boolean noreply = noreply(n);
        if (length(1) > KEY_MAX_LENGTH) {
            return TextRequest.error("CLIENT_ERROR bad command line format", noreply);
        }
        if (!parseInt32(2)) {
            return TextRequest.error("CLIENT_ERROR invalid exptime argument", noreply);
        }
        return new TextRequest(Command.TOUCH, new byte[][] {token(1)}, 0, parsed, null, 0, noreply, null);
    }

    private TextRequest flushAll(int n) {
        boolean noreply = noreply(n);
        long delay = 0;
        if (n != (noreply ? 3 : 2)) {
            if (!parseInt32(1)) {
                return TextRequest.error("CLIENT_ERROR invalid exptime argument", noreply);
            }
            delay = parsed;
        }
        return new TextRequest(Command.FLUSH_ALL, TextRequest.NO_KEYS, 0, delay, null, 0, noreply, null);
    }

    /** memcached's {@code set_noreply_maybe}: the last token is {@code noreply}. */
    private boolean noreply(int n) {
        return n - 2 < tokens && is(n - 2, "noreply");
    }

    /** Splits [from, to) at spaces into at most {@code max} tokens (memcached stops at 23 and ignores the rest). */
    private void tokenize(int from, int to, int already, int max) {
        tokens = already;
        int s = from;
        for (int e = from; e < to; e++) {
            if (buffer[e] == ' ') {
                if (s != e) {
                    addToken(s, e);
                    if (tokens == max) {
                        return;
                    }
                }
                s = e + 1;
            }
        }
        if (s != to) {
            addToken(s, to);
        }
    }

    private void addToken(int s, int e) {
        if (tokens == tokenStart.length) {
            tokenStart = Arrays.copyOf(tokenStart, tokens * 2);
            tokenEnd = Arrays.copyOf(tokenEnd, tokens * 2);
        }
        tokenStart[tokens] = s;
        tokenEnd[tokens] = e;
        tokens++;
    }

    private int length(int i) {
        return i < tokens ? tokenEnd[i] - tokenStart[i] : 0;
    }

    private boolean is(int i, String word) {
        if (i >= tokens || length(i) != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (buffer[tokenStart[i] + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private byte[] token(int i) {
        return Arrays.copyOfRange(buffer, tokenStart[i], tokenEnd[i]);
    }

    private byte[][] keys(int from, int to) {
        byte[][] keys = new byte[Math.max(0, to - from)][];
        for (int i = from; i < to; i++) {
            keys[i - from] = token(i);
        }
        return keys;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    // tag::numbers[]
    /**
     * memcached's {@code safe_strtol}: C's {@code strtol} in base 10 (white space, then a sign, then digits), the
     * number followed by white space or the token's end, cut to 32 bits. Sets {@link #parsed}.
     */
    private boolean parseInt32(int i) {
        if (i >= tokens) {
            return false;
        }
        long value = Numbers.strtol(buffer, tokenStart[i], tokenEnd[i]);
        if (value == Numbers.INVALID) {
            return false;
        }
        parsed = (int) value; // stored in an int32_t: memcached 1.6.18 keeps the low 32 bits, so 2^31 is negative
        return true;
    }

    /**
     * memcached's {@code safe_strtoull} (and {@code safe_strtoul}, the same on 64-bit): C's {@code strtoull}, which
     * negates a {@code -} number in unsigned arithmetic, refused only when the result looks negative as a signed
     * number. Sets {@link #parsed}; for flags the caller keeps the low 32 bits.
     */
    private boolean parseU64(int i) {
        if (i >= tokens || !Numbers.strtoull(buffer, tokenStart[i], tokenEnd[i], number)) {
            return false;
        }
        parsed = number[0];
        return true;
    }
    // end::numbers[]
}
