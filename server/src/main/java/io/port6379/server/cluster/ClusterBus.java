// What the CLUSTER commands ask of the cluster bus: the links to the other nodes and the messages on them.
package io.port6379.server.cluster;

import java.util.List;

/**
 * The CLUSTER commands change the {@link ClusterState} themselves, but MEET, FORGET, FAILOVER, LINKS and the end of
 * an import act on the bus (the connections to the other nodes and the cron that drives them). The bus implements this; until a
 * server has one, those commands answer an error.
 */
public interface ClusterBus {

    /** CLUSTER MEET: starts a handshake with the node at this address; false when the address is not valid. */
    boolean meet(String ip, int port, int cport);

    /** CLUSTER FORGET: the node was deleted from the state; the bus closes its link. */
    void forget(ClusterNode node);

    /** CLUSTER FAILOVER of a replica: {@code mode} is "", "force" or "takeover"; an error text, or null for OK. */
    String failover(String mode);

    /** One link as CLUSTER LINKS lists it. */
    record Link(String direction, String node, long createTime, String events, long sendBufferAllocated,
                long sendBufferUsed) {
    }

    /** CLUSTER LINKS. */
    List<Link> links();

    /** A PONG to every node at once (Redis's clusterBroadcastPong), so that a change of this node's is known soon. */
    void broadcastPong();

    /** PUBLISH or SPUBLISH: the message goes to the other nodes (all of them, or the shard's for {@code sharded}). */
    void publish(byte[] channel, byte[] message, boolean sharded);
}
