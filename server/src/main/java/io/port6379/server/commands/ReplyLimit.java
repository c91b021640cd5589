// How large one reply may grow while a command builds it, so that a count chosen by the client cannot exhaust the heap.
package io.port6379.server.commands;

import io.port6379.server.config.OutputBufferLimit;
import io.port6379.server.util.Log;
import io.port6379.server.Client;
import io.port6379.protocol.RespWriter;

/**
 * SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a negative count reply exactly -count picks, and the client chooses
 * the count: {@code SRANDMEMBER s -2000000000} asks for some 14 GB. Redis 7.0 builds such a reply in the client's
 * output buffer and stops adding to it once the client has been flagged for closing because the buffer passed its
 * {@code client-output-buffer-limit} (the {@code CLIENT_CLOSE_ASAP} check in those loops); the client is then
 * disconnected without its reply. With no limit Redis goes on for as long as its memory lasts.
 *
 * <p>Ours stops at the same limit, and the connection then disconnects the client as for any reply over it. Without
 * a hard limit it stops at a ceiling, an eighth of the heap (a growing reply buffer briefly needs one and a half times
 * its size), and disconnects the client itself: a reply that cannot be sent whole is not sent at all. Everyone else is
 * served as before either way.
 */
public final class ReplyLimit {

    private static volatile long ceiling = defaultCeiling();

    private ReplyLimit() {
    }

    /** An eighth of the maximum heap, and never more than a Java array can hold. */
    public static long defaultCeiling() {
        return Math.min(Runtime.getRuntime().maxMemory() / 8, Integer.MAX_VALUE - 64);
    }

    /** The ceiling that applies when the client's class has no hard limit; tests lower it. */
    public static void ceiling(long bytes) {
        ceiling = bytes;
    }

    /**
     * The array length to announce for {@code count} elements. A reply cannot grow past the ceiling, which is below
     * 2 GB, so a count above {@link Integer#MAX_VALUE} (at least one byte each) never completes: it is cut by
     * {@link #reached} first, and the announced length is never sent.
     */
    static int arrayLength(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }

    // tag::reached[]
    /**
     * Whether {@code reply} has grown as large as this client may be sent: its class's hard output-buffer limit
     * (the connection disconnects it after the command, with Redis's log line) or else the ceiling (disconnected
     * here). A command that adds elements in a loop checks this after each one and stops when it is true. O(1).
     */
    static boolean reached(Client client, RespWriter reply) {
        OutputBufferLimit limit = client.server().config().outputBufferLimit(client.isSubscribed());
        if (limit.hard() > 0 && reply.size() >= limit.hard()) {
            return true;
        }
        if (reply.size() < ceiling) {
            return false;
        }
        Log.log("#", "Client " + client.describe(client) + " closed: its reply passed "
                + ceiling + " bytes, the most one reply may take without a client-output-buffer-limit.");
        client.kill();
        return true;
    }
    // end::reached[]
}
