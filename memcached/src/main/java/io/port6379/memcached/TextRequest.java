// One request of memcached's text protocol as TextDecoder reads it: the command, its keys, numbers and data block.
package io.port6379.memcached;

/**
 * A request line (and, for a storage command, its data block), already checked the way memcached 1.6 checks it.
 * A line memcached would refuse arrives as {@link Command#ERROR} with the exact line to answer in {@link #error};
 * the server answers it unless {@link #noreply}, as memcached's {@code out_string} does.
 *
 * @param keys      the keys: one for storage, arithmetic, delete and touch; any number for the get family; the
 *                  arguments after {@code stats}
 * @param flags     the client's opaque 32-bit flags (storage commands)
 * @param exptime   the expiry as sent (seconds, or a Unix time past 30 days; negative is already expired), or
 *                  {@code flush_all}'s delay
 * @param data      the data block, without its {@code \r\n}
 * @param casUnique {@code cas}'s unique value; {@code incr}/{@code decr}'s delta and {@code verbosity}'s level are
 *                  kept here too (unsigned 64-bit)
 * @param meta      a meta command's flags (mg, ms, md, ma), else null
 */
public record TextRequest(Command command, byte[][] keys, int flags, long exptime, byte[] data, long casUnique,
                          boolean noreply, String error, MetaFlags meta) {

    /** A request of the classic commands, which have no meta flags. */
    public TextRequest(Command command, byte[][] keys, int flags, long exptime, byte[] data, long casUnique,
                       boolean noreply, String error) {
        this(command, keys, flags, exptime, data, casUnique, noreply, error, null);
    }

    /** What the line asks for; ERROR, REJECTED_SET and CLOSE are the decoder's verdicts, not memcached commands. */
    public enum Command {
        GET, GETS, GAT, GATS, SET, ADD, REPLACE, APPEND, PREPEND, CAS, INCR, DECR, DELETE, TOUCH, FLUSH_ALL,
        VERSION, VERBOSITY, STATS, QUIT, MN,
        /** The meta commands: get, set, delete, arithmetic, with their flags in {@link #meta}. */
        MG, MS, MD, MA,
        /** me: memcached's debug line about one item. */
        ME,
        /** Answer {@link #error} (unless noreply) and go on with the next line. */
        ERROR,
        /** A set whose item is over the size limit: answer the error, and delete the key, as memcached does. */
        REJECTED_SET,
        /**
         * A get family line with a key over 250 bytes: memcached drops every reply of the batch it has not sent
         * yet, then answers the error.
         */
        REJECTED_GET,
        /** Close the connection without a word: a line too long to be a command, or an HTTP request. */
        CLOSE;

        /** Whether a data block follows the line. */
        public boolean stores() {
            return switch (this) {
                case SET, ADD, REPLACE, APPEND, PREPEND, CAS, MS -> true;
                default -> false;
            };
        }
    }

    /** The first key. */
    public byte[] key() {
        return keys[0];
    }

    /** {@code incr}/{@code decr}'s delta, an unsigned 64-bit number. */
    public long delta() {
        return casUnique;
    }

    static TextRequest error(String line, boolean noreply) {
        return new TextRequest(Command.ERROR, NO_KEYS, 0, 0, null, 0, noreply, line);
    }

    static TextRequest of(Command command) {
        return new TextRequest(command, NO_KEYS, 0, 0, null, 0, false, null);
    }

    TextRequest withData(byte[] block) {
        return new TextRequest(command, keys, flags, exptime, block, casUnique, noreply, error, meta);
    }

    static final byte[][] NO_KEYS = new byte[0][];
}
