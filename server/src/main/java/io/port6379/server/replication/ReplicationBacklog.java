// The circular backlog: the last repl-backlog-size bytes of the replication stream, from which a partial resync is served.
package io.port6379.server.replication;

/**
 * Every byte of the replication stream has an offset: the first byte ever sent is 1, and the master's
 * {@code master_repl_offset} is the offset of the last one. A replica that lost its link asks to continue from the
 * byte after the last one it applied ({@code PSYNC replid offset}); the master can answer {@code +CONTINUE} when that
 * byte is still here, so only the missing tail crosses the network instead of a whole RDB.
 *
 * <pre>
 *   buffer (size bytes, reused in a ring)
 *   +-------------------------------+
 *   |....newest][oldest.............|
 *   +-------------------------------+
 *              ^ next               first byte offset = offset - histlen + 1
 * </pre>
 *
 * Redis 7.0 shares the replicas' output buffers with the backlog in a list of blocks; a plain ring holding its own
 * copy says the same thing in fewer lines. Not thread-safe: used under the execution lock.
 */
final class ReplicationBacklog {

    private byte[] buffer;
    private int next; // where the next byte goes
    private long histlen; // bytes held, at most buffer.length
    private long offset; // the offset of the last byte added (master_repl_offset)

    /** An empty backlog whose next byte will have offset {@code offset + 1}. */
    ReplicationBacklog(int size, long offset) {
        this.buffer = new byte[size];
        this.offset = offset;
    }

    // tag::ring[]
    /** Appends {@code length} bytes of the stream. O(length). */
    void add(byte[] bytes, int from, int length) {
        offset += length;
        if (length >= buffer.length) { // only the tail fits
            System.arraycopy(bytes, from + length - buffer.length, buffer, 0, buffer.length);
            next = 0;
            histlen = buffer.length;
            return;
        }
        int first = Math.min(length, buffer.length - next);
        System.arraycopy(bytes, from, buffer, next, first);
        System.arraycopy(bytes, from + first, buffer, 0, length - first);
        next = (next + length) % buffer.length;
        histlen = Math.min(buffer.length, histlen + length);
    }

    /** The offset of the last byte added. */
    long offset() {
        return offset;
    }

    /** INFO's repl_backlog_first_byte_offset. */
    long firstByteOffset() {
        return offset - histlen + 1;
    }

    /** INFO's repl_backlog_histlen. */
    long histlen() {
        return histlen;
    }

    /** INFO's repl_backlog_size. */
    int size() {
        return buffer.length;
    }

    /** Whether a replica can continue from byte {@code from}: it is held, or it is the next one to come. */
    boolean holds(long from) {
        return from >= firstByteOffset() && from <= offset + 1;
    }

    /** The bytes from offset {@code from} to the end; {@link #holds} must be true. O(bytes copied). */
    byte[] copyFrom(long from) {
        int length = (int) (offset - from + 1);
        byte[] copy = new byte[length];
        int start = Math.floorMod(next - length, buffer.length);
        int first = Math.min(length, buffer.length - start);
        System.arraycopy(buffer, start, copy, 0, first);
        System.arraycopy(buffer, 0, copy, first, length - first);
        return copy;
    }
    // end::ring[]

    /** CONFIG SET repl-backlog-size: a new ring holding as much of the newest history as fits. */
    void resize(int size) {
        if (size == buffer.length) {
            return;
        }
        byte[] kept = copyFrom(offset - Math.min(histlen, size) + 1);
        buffer = new byte[size];
        next = 0;
        histlen = 0;
        offset -= kept.length;
        add(kept, 0, kept.length);
    }
}
