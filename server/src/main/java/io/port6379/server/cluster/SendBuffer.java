// The size Redis gives a cluster link's send buffer: what cluster-link-sendbuf-limit and CLUSTER LINKS count.
package io.port6379.server.cluster;

/**
 * Redis 7.0 keeps a link's unsent messages in one sds string. A message appended to a buffer without room for it
 * grows the allocation greedily, as {@code sdsMakeRoomFor} does: to twice the new length below 1 MB, by 1 MB above.
 * Writing to the socket consumes the string from its front without shrinking it; the cluster cron shrinks it to its
 * length once the unused part is more than four times the used one ({@code resizeClusterLinkBuffer}). The allocation,
 * not the length, is what {@code cluster-link-sendbuf-limit} is compared with. The allocator's rounding up to its
 * size classes is left out: it adds a few bytes that no caller can rely on.
 */
final class SendBuffer {

    private static final long MAX_PREALLOC = 1024 * 1024;

    private SendBuffer() {
    }

    /** The allocation after appending {@code added} bytes to a buffer holding {@code used} of {@code allocated}. */
    static long grown(long allocated, long used, long added) {
        if (allocated - used >= added) {
            return allocated;
        }
        long length = used + added;
        return length < MAX_PREALLOC ? length * 2 : length + MAX_PREALLOC;
    }

    /** The allocation after the cron's resize: the length, when more than four times as much is free. */
    static long shrunk(long allocated, long used) {
        return (allocated - used) / 4 > used ? used : allocated;
    }
}
