// The cluster bus's message: Redis 7.0's RCmb header and the bodies of its eleven types, as Java values.
package io.port6379.server.cluster;

import java.util.List;

/**
 * One message of the cluster bus, as Redis 7.0's {@code clusterMsg}: a fixed 2256-byte header that every message
 * carries (who sends it, its epochs, its replication offset, the slots it serves, its flags and its view of the
 * cluster's state) followed by a body that depends on the type. {@link ClusterMessageCodec} turns it into bytes and
 * back; the byte diagram is there.
 *
 * <p>The header is the heart of the protocol: a node learns a peer's whole configuration (master or replica, of
 * whom, which slots, at which config epoch) from any PING or PONG it sends, so the slot table converges through
 * ordinary heartbeats, with no separate "configuration" message except UPDATE for stale claimers.
 *
 * @param header what every message carries
 * @param body what this type adds ({@link Empty} for FAILOVER_AUTH_REQUEST/ACK and MFSTART)
 */
public record ClusterMessage(Header header, Body body) {

    /** Message types, as {@code CLUSTERMSG_TYPE_*}. */
    public static final int PING = 0, PONG = 1, MEET = 2, FAIL = 3, PUBLISH = 4, FAILOVER_AUTH_REQUEST = 5,
            FAILOVER_AUTH_ACK = 6, UPDATE = 7, MFSTART = 8, MODULE = 9, PUBLISHSHARD = 10, TYPE_COUNT = 11;

    /** {@code mflags[0]} bits: the master is paused for a manual failover; vote even if the master is up; extensions follow. */
    public static final int FLAG0_PAUSED = 1, FLAG0_FORCEACK = 2, FLAG0_EXT_DATA = 4;

    /** Ping extension types of 7.0: only the announced hostname. */
    public static final int EXT_HOSTNAME = 0;

    /** Cluster states in the header's {@code state} byte. */
    public static final int STATE_OK = 0, STATE_FAIL = 1;

    /**
     * The common header; {@code flags} are {@link ClusterNode}'s flag bits, as on the wire. {@code slaveof} is null for a master (zeros on the wire); {@code myip} is "" when the sender
     * does not announce one (the receiver then uses the address the message came from).
     *
     * @param myslots 2048 bytes, bit {@code slot} is {@code myslots[slot/8] & (1 << (slot & 7))}
     */
    public record Header(int type, int port, long currentEpoch, long configEpoch, long offset, String sender,
                         byte[] myslots, String slaveof, String myip, int pport, int cport, int flags, int state,
                         int mflags0) {
    }

    /** What follows the header. */
    public sealed interface Body permits Ping, Fail, Publish, Update, Module, Empty {
    }

    /** PING, PONG and MEET: gossip about other nodes, then 7.0's extensions. */
    public record Ping(List<Gossip> gossip, List<Extension> extensions) implements Body {

        /** The hostname extension's value, or "" when there is none. */
        public String hostname() {
            for (Extension extension : extensions) {
                if (extension.type() == EXT_HOSTNAME) {
                    int end = 0;
                    while (end < extension.data().length && extension.data()[end] != 0) {
                        end++;
                    }
                    return new String(extension.data(), 0, end, java.nio.charset.StandardCharsets.US_ASCII);
                }
            }
            return "";
        }
    }

    /** One gossip section: what the sender knows of another node (104 bytes on the wire). Times are in seconds. */
    public record Gossip(String nodename, long pingSent, long pongReceived, String ip, int port, int cport, int flags,
                         int pport) {
    }

    /** One ping extension; {@code data} is its payload including the padding zeros. */
    public record Extension(int type, byte[] data) {
    }

    /** FAIL: the named node is failing, by the sender's majority. */
    public record Fail(String nodename) implements Body {
    }

    /** PUBLISH and PUBLISHSHARD: a message for the receiver's subscribers. */
    public record Publish(byte[] channel, byte[] message) implements Body {
    }

    /** UPDATE: the named node serves these slots at this config epoch (sent to a node with a stale claim). */
    public record Update(long configEpoch, String nodename, byte[] slots) implements Body {
    }

    /** MODULE: a module's message, carried and ignored (no modules here). */
    public record Module(long moduleId, int moduleType, byte[] payload) implements Body {
    }

    /** The header alone. */
    public record Empty() implements Body {
    }
}
