// The bytes fed to a decoder and not yet read. Read in place from the caller's array: no copy on the way in.
package io.port6379.protocol;

/**
 * A decoder's unread input. {@link #feed} keeps a reference to the caller's array instead of copying it, so a
 * bulk payload is copied exactly once: from the network read buffer into its own {@code byte[]}. The price is a
 * contract with the caller: the fed bytes must stay unchanged until the decoder has read them all, which the
 * decoders guarantee has happened when their {@code next()} returns {@code null}. Only when the caller feeds
 * again before that (allowed, but unusual) are the unread bytes copied into a buffer of our own.
 *
 * <p>Not thread-safe; owned by one decoder.
 */
final class LentInput {

    private static final byte[] EMPTY = new byte[0];

    /** The array being read: the caller's, or {@link #spill}. */
    byte[] bytes = EMPTY;
    /** Next byte to read in {@link #bytes}. */
    int pos;
    /** End of the readable bytes in {@link #bytes}. */
    int end;
    /** Bytes fed since the decoder was created, to measure how much of the stream a partial frame holds. */
    long received;

    private byte[] spill = EMPTY;

    // tag::feed[]
    /** Makes {@code data[offset, offset + length)} readable after any bytes not read yet. O(1) when all were read. */
    void feed(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        received += length;
        int unread = end - pos;
        if (unread == 0) {
            bytes = data;
            pos = offset;
            end = offset + length;
            return;
        }
        if (spill.length < unread + length) {
            byte[] grown = new byte[Math.max(unread + length, 2 * spill.length)];
            System.arraycopy(bytes, pos, grown, 0, unread);
            spill = grown;
        } else {
            System.arraycopy(bytes, pos, spill, 0, unread); // also right when bytes == spill: arraycopy handles overlap
        }
        System.arraycopy(data, offset, spill, unread, length);
        bytes = spill;
        pos = 0;
        end = unread + length;
    }
    // end::feed[]

    /** Unread bytes. */
    int available() {
        return end - pos;
    }

    /** Offset in the whole stream of the next unread byte. */
    long streamPosition() {
        return received - (end - pos);
    }

    /** Drops all unread bytes and the reference to the caller's array. */
    void discard() {
        bytes = EMPTY;
        pos = 0;
        end = 0;
    }
}
