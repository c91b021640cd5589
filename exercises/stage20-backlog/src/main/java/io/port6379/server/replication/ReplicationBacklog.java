// Exercise 20: your replication backlog, the ring of the newest repl-backlog-size bytes of the replication stream.
// It replaces the reference io.port6379.server.replication.ReplicationBacklog, under the reference Replication.
// Check it with `exercises/check 20`; watch it with `exercises/run-server 20 --port 6380`, a real
// `redis-server --port 6381 --replicaof 127.0.0.1 6380`, writes on 6380, `CLIENT KILL TYPE master` on 6381, and
// INFO stats' sync_partial_ok on 6380 going up instead of sync_full.
//
// What to build (chapter 20, "The backlog and the two IDs"): every byte of the stream has an offset, the first
// ever sent being 1; the backlog keeps the last size() bytes in a ring.
//  1. The constructor: an empty ring of `size` bytes whose next byte will have offset `offset + 1`.
//  2. add(): append length bytes of `bytes` from `from`; the offset moves by length even when only the tail fits.
//  3. offset(), histlen() (bytes held, at most size()), firstByteOffset() (offset - histlen + 1), size().
//  4. holds(from): true for every offset still held and for offset() + 1 (a replica that missed nothing).
//  5. copyFrom(from): the bytes from that offset to the newest, in stream order, across the ring's wrap.
//  6. resize(size): a new ring keeping as much of the newest history as fits; the offset does not change.
// Tests: server/src/test/java/io/port6379/server/replication/ReplicationBacklogProperties.java (the backlog
// against the whole stream kept in one array, every offset checked) and ReplicationInteropTest (partial resyncs
// with a real redis-server, which a wrong byte would corrupt).
// The reference solution is server/src/main/java/io/port6379/server/replication/ReplicationBacklog.java.
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

    /** An empty backlog whose next byte will have offset {@code offset + 1}. */
    ReplicationBacklog(int size, long offset) {
        throw new UnsupportedOperationException("exercise 20: the constructor");
    }

    /** Appends {@code length} bytes of the stream. O(length). */
    void add(byte[] bytes, int from, int length) {
        throw new UnsupportedOperationException("exercise 20: add()");
    }

    /** The offset of the last byte added. */
    long offset() {
        throw new UnsupportedOperationException("exercise 20: offset()");
    }

    /** INFO's repl_backlog_first_byte_offset. */
    long firstByteOffset() {
        throw new UnsupportedOperationException("exercise 20: firstByteOffset()");
    }

    /** INFO's repl_backlog_histlen. */
    long histlen() {
        throw new UnsupportedOperationException("exercise 20: histlen()");
    }

    /** INFO's repl_backlog_size. */
    int size() {
        throw new UnsupportedOperationException("exercise 20: size()");
    }

    /** Whether a replica can continue from byte {@code from}: it is held, or it is the next one to come. */
    boolean holds(long from) {
        throw new UnsupportedOperationException("exercise 20: holds()");
    }

    /** The bytes from offset {@code from} to the end; {@link #holds} must be true. O(bytes copied). */
    byte[] copyFrom(long from) {
        throw new UnsupportedOperationException("exercise 20: copyFrom()");
    }

    /** CONFIG SET repl-backlog-size: a new ring holding as much of the newest history as fits. */
    void resize(int size) {
        throw new UnsupportedOperationException("exercise 20: resize()");
    }
}
