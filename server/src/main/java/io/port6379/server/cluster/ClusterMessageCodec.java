// RCmb bytes <-> ClusterMessage: Redis 7.0's cluster bus wire format, field by field, in network byte order.
package io.port6379.server.cluster;

import io.port6379.server.cluster.ClusterMessage.Body;
import io.port6379.server.cluster.ClusterMessage.Empty;
import io.port6379.server.cluster.ClusterMessage.Extension;
import io.port6379.server.cluster.ClusterMessage.Fail;
import io.port6379.server.cluster.ClusterMessage.Gossip;
import io.port6379.server.cluster.ClusterMessage.Header;
import io.port6379.server.cluster.ClusterMessage.Module;
import io.port6379.server.cluster.ClusterMessage.Ping;
import io.port6379.server.cluster.ClusterMessage.Publish;
import io.port6379.server.cluster.ClusterMessage.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bus's bytes, as {@code clusterMsg} in Redis 7.0's {@code cluster.h}. Every integer is big-endian (Redis
 * converts with {@code htons}/{@code htonl}/{@code htonu64}); names and addresses are fixed-size, NUL-padded.
 *
 * <pre>
 * offset size field
 *      0    4 sig "RCmb"                      2128   40 slaveof (master's name; zeros for a master)
 *      4    4 totlen (whole message)          2168   46 myip (announced IP, NUL-terminated; zeros = use the socket's)
 *      8    2 ver = 1                         2214    2 extensions (how many ping extensions follow the gossip)
 *     10    2 port (clients' port)            2216   30 unused
 *     12    2 type (PING=0 ... PUBLISHSHARD=10)  2246    2 pport (plaintext port when port is TLS)
 *     14    2 count (gossip sections)         2248    2 cport (cluster bus port)
 *     16    8 currentEpoch                    2250    2 flags (the sender's node flags)
 *     24    8 configEpoch (its master's, for a replica)  2252  1 state (0 ok, 1 fail)
 *     32    8 offset (replication offset)     2253    3 mflags (PAUSED, FORCEACK, EXT_DATA)
 *     40   40 sender (node name, 40 hex)      2256      body
 *     80 2048 myslots (16384 bits; a replica sends its master's)
 *
 * body  PING/PONG/MEET: count x gossip (104 bytes: name 40, ping_sent 4, pong_received 4, ip 46, port 2,
 *                       cport 2, flags 2, pport 2, unused 2), then extensions (length 4, type 2, unused 2,
 *                       data padded to 8 bytes)
 *       FAIL: name 40 | PUBLISH(SHARD): channel_len 4, message_len 4, channel, message
 *       UPDATE: configEpoch 8, name 40, slots 2048 | MODULE: module_id 8, len 4, type 1, payload
 *       FAILOVER_AUTH_REQUEST/ACK, MFSTART: nothing
 * </pre>
 */
public final class ClusterMessageCodec {

    /** The header's size: the smallest valid message (Redis's {@code CLUSTERMSG_MIN_LEN}). */
    public static final int HEADER_LEN = 2256;
    /** One gossip section's size. */
    public static final int GOSSIP_LEN = 104;
    /** Node names are 40 hex characters (a SHA-1's size). */
    public static final int NAME_LEN = 40;
    /** The slot bitmap's size: 16384 bits. */
    public static final int SLOTS_LEN = 2048;
    private static final int IP_LEN = 46;
    private static final byte[] SIGNATURE = {'R', 'C', 'm', 'b'};

    private ClusterMessageCodec() {
    }

    /** The message's bytes, {@code totlen} of them. */
    public static byte[] encode(ClusterMessage message) {
        Header h = message.header();
        Body body = message.body();
        int count = body instanceof Ping ping ? ping.gossip().size() : 0;
        int extensions = body instanceof Ping ping ? ping.extensions().size() : 0;
        int mflags0 = h.mflags0() & ~ClusterMessage.FLAG0_EXT_DATA;
        if (extensions > 0) {
            mflags0 |= ClusterMessage.FLAG0_EXT_DATA;
        }
        // tag::header[]
        ByteBuffer out = ByteBuffer.allocate(HEADER_LEN + bodyLength(body));
        out.put(SIGNATURE).putInt(out.capacity()).putShort((short) 1).putShort((short) h.port())
                .putShort((short) h.type()).putShort((short) count)
                .putLong(h.currentEpoch()).putLong(h.configEpoch()).putLong(h.offset());
        putFixed(out, h.sender(), NAME_LEN);
        out.put(h.myslots(), 0, SLOTS_LEN);
        putFixed(out, h.slaveof(), NAME_LEN);
        putFixed(out, h.myip(), IP_LEN);
        out.putShort((short) extensions).position(2246);
        out.putShort((short) h.pport()).putShort((short) h.cport()).putShort((short) h.flags())
                .put((byte) h.state()).put((byte) mflags0).put((byte) 0).put((byte) 0);
        // end::header[]
        switch (body) {
            case Ping ping -> {
                for (Gossip g : ping.gossip()) {
                    putFixed(out, g.nodename(), NAME_LEN);
                    out.putInt((int) g.pingSent()).putInt((int) g.pongReceived());
                    putFixed(out, g.ip(), IP_LEN);
                    out.putShort((short) g.port()).putShort((short) g.cport()).putShort((short) g.flags())
                            .putShort((short) g.pport()).putShort((short) 0);
                }
                for (Extension e : ping.extensions()) {
                    out.putInt(8 + padded(e.data().length)).putShort((short) e.type()).putShort((short) 0);
                    out.put(e.data()).position(out.position() + padded(e.data().length) - e.data().length);
                }
            }
            case Fail fail -> putFixed(out, fail.nodename(), NAME_LEN);
            case Publish p -> out.putInt(p.channel().length).putInt(p.message().length).put(p.channel()).put(p.message());
            case Update u -> {
                out.putLong(u.configEpoch());
                putFixed(out, u.nodename(), NAME_LEN);
                out.put(u.slots(), 0, SLOTS_LEN);
            }
            case Module m -> out.putLong(m.moduleId()).putInt(m.payload().length).put((byte) m.moduleType()).put(m.payload());
            case Empty e -> {
            }
        }
        return out.array();
    }

    /** The hostname extension: the name, a NUL, zeros to the next multiple of 8. */
    public static Extension hostnameExtension(String hostname) {
        byte[] name = hostname.getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[padded(name.length + 1)];
        System.arraycopy(name, 0, data, 0, name.length);
        return new Extension(ClusterMessage.EXT_HOSTNAME, data);
    }

    private static int bodyLength(Body body) {
        return switch (body) {
            case Ping ping -> {
                int length = GOSSIP_LEN * ping.gossip().size();
                for (Extension e : ping.extensions()) {
                    length += 8 + padded(e.data().length);
                }
                yield length;
            }
            case Fail f -> NAME_LEN;
            case Publish p -> 8 + p.channel().length + p.message().length;
            case Update u -> 8 + NAME_LEN + SLOTS_LEN;
            case Module m -> 13 + m.payload().length;
            case Empty e -> 0;
        };
    }

    private static int padded(int length) {
        return (length + 7) / 8 * 8;
    }

    /**
     * The total length announced by the first 8 bytes of a message, or -1 when they are not a cluster message's
     * start (wrong signature, or shorter than a header): Redis then closes the link.
     */
    public static int totalLength(byte[] first8) {
        for (int i = 0; i < 4; i++) {
            if (first8[i] != SIGNATURE[i]) {
                return -1;
            }
        }
        int totlen = ByteBuffer.wrap(first8, 4, 4).getInt();
        return totlen < HEADER_LEN ? -1 : totlen;
    }

    /**
     * The message in {@code bytes} (exactly {@code totlen} of them), or null when Redis's {@code clusterIsValidPacket}
     * would ignore it: another protocol version, or a length that does not match its type and counts.
     */
    public static ClusterMessage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_LEN || totalLength(bytes) != bytes.length || in.getShort(8) != 1) {
            return null;
        }
        int type = in.getShort(12) & 0xffff;
        int count = in.getShort(14) & 0xffff;
        byte[] myslots = new byte[SLOTS_LEN];
        in.get(80, myslots);
        String slaveof = fixed(bytes, 2128, NAME_LEN);
        int extensions = in.getShort(2214) & 0xffff;
        int mflags0 = bytes[2253] & 0xff;
        Header header = new Header(type, in.getShort(10) & 0xffff, in.getLong(16), in.getLong(24), in.getLong(32),
                fixed(bytes, 40, NAME_LEN), myslots, slaveof.isEmpty() ? null : slaveof, fixed(bytes, 2168, IP_LEN),
                in.getShort(2246) & 0xffff, in.getShort(2248) & 0xffff, in.getShort(2250) & 0xffff,
                bytes[2252] & 0xff, mflags0);
        Body body = decodeBody(in, type, count, (mflags0 & ClusterMessage.FLAG0_EXT_DATA) != 0 ? extensions : 0);
        return body == null ? null : new ClusterMessage(header, body);
    }

    private static Body decodeBody(ByteBuffer in, int type, int count, int extensions) {
        int length = in.capacity();
        in.position(HEADER_LEN);
        switch (type) {
            case ClusterMessage.PING, ClusterMessage.PONG, ClusterMessage.MEET -> {
                if (length < HEADER_LEN + GOSSIP_LEN * count) {
                    return null;
                }
                List<Gossip> gossip = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int at = in.position();
                    gossip.add(new Gossip(fixed(in.array(), at, NAME_LEN), in.getInt(at + 40) & 0xffffffffL,
                            in.getInt(at + 44) & 0xffffffffL, fixed(in.array(), at + 48, IP_LEN),
                            in.getShort(at + 94) & 0xffff, in.getShort(at + 96) & 0xffff,
                            in.getShort(at + 98) & 0xffff, in.getShort(at + 100) & 0xffff));
                    in.position(at + GOSSIP_LEN);
                }
                List<Extension> exts = new ArrayList<>(extensions);
                for (int i = 0; i < extensions; i++) {
                    if (in.remaining() < 8) {
                        return null;
                    }
                    int extLength = in.getInt();
                    int extType = in.getShort() & 0xffff;
                    in.getShort();
                    if (extLength % 8 != 0 || extLength < 8 || extLength - 8 > in.remaining()) {
                        return null;
                    }
                    byte[] data = new byte[extLength - 8];
                    in.get(data);
                    exts.add(new Extension(extType, data));
                }
                return in.remaining() == 0 ? new Ping(gossip, exts) : null;
            }
            case ClusterMessage.FAIL -> {
                return length == HEADER_LEN + NAME_LEN ? new Fail(fixed(in.array(), HEADER_LEN, NAME_LEN)) : null;
            }
            case ClusterMessage.PUBLISH, ClusterMessage.PUBLISHSHARD -> {
                if (length < HEADER_LEN + 8) {
                    return null;
                }
                long channelLength = in.getInt() & 0xffffffffL;
                long messageLength = in.getInt() & 0xffffffffL;
                if (HEADER_LEN + 8 + channelLength + messageLength != length) {
                    return null;
                }
                byte[] channel = new byte[(int) channelLength];
                byte[] message = new byte[(int) messageLength];
                in.get(channel).get(message);
                return new Publish(channel, message);
            }
            case ClusterMessage.UPDATE -> {
                if (length != HEADER_LEN + 8 + NAME_LEN + SLOTS_LEN) {
                    return null;
                }
                long configEpoch = in.getLong();
                byte[] slots = new byte[SLOTS_LEN];
                in.get(HEADER_LEN + 8 + NAME_LEN, slots);
                return new Update(configEpoch, fixed(in.array(), HEADER_LEN + 8, NAME_LEN), slots);
            }
            case ClusterMessage.MODULE -> {
                if (length < HEADER_LEN + 13) {
                    return null;
                }
                long moduleId = in.getLong();
                long payloadLength = in.getInt() & 0xffffffffL;
                int moduleType = in.get() & 0xff;
                if (HEADER_LEN + 13 + payloadLength != length) {
                    return null;
                }
                byte[] payload = new byte[(int) payloadLength];
                in.get(payload);
                return new Module(moduleId, moduleType, payload);
            }
            case ClusterMessage.FAILOVER_AUTH_REQUEST, ClusterMessage.FAILOVER_AUTH_ACK, ClusterMessage.MFSTART -> {
                return length == HEADER_LEN ? new Empty() : null;
            }
            default -> {
                return new Empty(); // an unknown type: Redis logs and ignores it, the link stays
            }
        }
    }

    /** A NUL-padded field: the bytes up to the first NUL, or "" when it is all zeros. */
    private static String fixed(byte[] bytes, int at, int size) {
        int end = at;
        while (end < at + size && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
    }

    private static void putFixed(ByteBuffer out, String value, int size) {
        int start = out.position();
        if (value != null) {
            byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
            out.put(bytes, 0, Math.min(bytes.length, size));
        }
        out.position(start + size);
    }
}
