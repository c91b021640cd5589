// A master's view of one attached replica: where it is in its synchronisation, what it announced, what it acknowledged.
package io.port6379.server.replication;

import io.port6379.server.Client;
import io.port6379.server.config.OutputBufferLimit;
import io.port6379.server.util.Log;

import java.io.ByteArrayOutputStream;

/**
 * Redis keeps these fields on the replica's {@code client} ({@code replstate}, {@code repl_ack_off},
 * {@code slave_listening_port}...). The connection itself stays an ordinary client connection: the replica's
 * REPLCONF ACKs arrive on it as commands, and the stream leaves through its outbox ({@link Client#push}), bounded
 * by the {@code replica} class of {@code client-output-buffer-limit}.
 *
 * <p>Until the RDB of a full resynchronisation has been delivered, the stream written meanwhile is kept here
 * ({@link #held}) and sent right after the RDB, as Redis accumulates it in the replica's output buffer. Under the
 * execution lock.
 */
final class ReplicaLink {

    /** Redis's {@code SLAVE_STATE_*}: INFO shows the first two as {@code wait_bgsave}. */
    enum State {
        WAIT_BGSAVE_START("wait_bgsave"), WAIT_BGSAVE_END("wait_bgsave"), SEND_BULK("send_bulk"), ONLINE("online");

        final String info;

        State(String info) {
            this.info = info;
        }
    }

    final Client client;
    State state;
    int listeningPort;
    String announcedIp;
    boolean capaEof;
    boolean capaPsync2;
    boolean prePsync; // came with SYNC: no +FULLRESYNC line before its RDB
    long ackOffset;
    long ackMillis;
    /**
     * Diskless: the RDB ended with its mark, and the stream waits for the replica's first ACK, since a replica finds
     * the mark at the end of a read and must not receive anything after it before it has loaded the data.
     */
    private boolean awaitingFirstAck;
    /** The stream written while the RDB is prepared and sent. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private long heldSoftSince = -1;

    ReplicaLink(Client client, long nowMillis) {
        this.client = client;
        this.ackMillis = nowMillis;
    }

    /** The address INFO and ROLE show: the one announced with REPLCONF ip-address, else the peer's. */
    String ip() {
        if (announcedIp != null) {
            return announcedIp;
        }
        String address = client.address();
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether the replica is still waiting for its RDB: the stream is held for it, not sent. */
    boolean holdsStream() {
        return state == State.WAIT_BGSAVE_END || state == State.SEND_BULK || awaitingFirstAck;
    }

    /**
     * Sends {@code bytes} of the stream, or holds them while the RDB is under way. False when the held bytes passed
     * the replica class's limits: the replica is then disconnected, as Redis frees a replica whose buffer grows.
     */
    boolean feed(byte[] bytes, OutputBufferLimit limit, long nowMillis) {
        if (state == State.ONLINE && !awaitingFirstAck) {
            client.push(bytes); // the outbox applies the replica class's limits itself
            return true;
        }
        if (!holdsStream()) {
            return true; // a later full sync will start from a later offset
        }
        held.writeBytes(bytes);
        long used = held.size();
        boolean over = limit.hard() > 0 && used >= limit.hard();
        if (!over && limit.soft() > 0 && used >= limit.soft()) {
            heldSoftSince = heldSoftSince < 0 ? nowMillis : heldSoftSince;
            over = (nowMillis - heldSoftSince) / 1000 > limit.softSeconds();
        }
        if (over) {
            Log.log("#", "Client id=" + client.id() + " addr=" + client.address()
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            client.kill();
            return false;
        }
        return true;
    }

    /** The RDB is delivered: the held stream follows it, and from now on the stream is sent as it is written. */
    void online(long nowMillis) {
        state = State.ONLINE;
        ackMillis = nowMillis;
        awaitingFirstAck = false;
        if (held.size() > 0) {
            client.push(held.toByteArray());
        }
        held.reset();
    }

    /** Diskless: online, the held stream sent when the replica first ACKs ({@link #acknowledged}). */
    void onlineOnAck(long nowMillis) {
        state = State.ONLINE;
        ackMillis = nowMillis;
        awaitingFirstAck = true;
    }

    /** An ACK arrived: a replica loaded its diskless RDB gets the stream held for it. */
    void acknowledged(long offset, long nowMillis) {
        ackOffset = Math.max(ackOffset, offset);
        ackMillis = nowMillis;
        if (awaitingFirstAck) {
            online(nowMillis);
        }
    }
}
