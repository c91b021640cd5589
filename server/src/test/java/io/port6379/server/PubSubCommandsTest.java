// Pub/sub and MULTI state as CLIENT LIST shows it, and the registry's bookkeeping, without a socket.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PubSubCommandsTest {

    private final CommandRunner runner = new CommandRunner();
    private final Client other = runner.newClient();

    private String line(Client client) {
        return client.describe(client);
    }

    @Test
    void clientListCountsChannelsPatternsAndShardChannelsAndFlagsP() {
        runner.run("SUBSCRIBE", "a", "b");
        runner.run("PSUBSCRIBE", "x*");
        runner.run("SSUBSCRIBE", "s");
        assertTrue(line(runner.client).contains(" flags=P "), line(runner.client));
        assertTrue(line(runner.client).contains(" sub=2 psub=1 ssub=1 multi=-1 "), line(runner.client));
    }

    @Test
    void clientListTypePubsubListsOnlySubscribers() {
        runner.runAs(other, "SUBSCRIBE", "a");
        String pubsub = runner.run("CLIENT", "LIST", "TYPE", "pubsub");
        String normal = runner.run("CLIENT", "LIST", "TYPE", "normal");
        assertTrue(pubsub.contains("id=" + other.id() + " "));
        assertFalse(pubsub.contains("id=" + runner.client.id() + " "));
        assertTrue(normal.contains("id=" + runner.client.id() + " "));
        assertFalse(normal.contains("id=" + other.id() + " "));
    }

    @Test
    void clientListShowsMultiWithItsQueueAndADirtyWatch() {
        runner.run("WATCH", "k");
        runner.runAs(other, "SET", "k", "1");
        runner.run("MULTI");
        runner.run("GET", "k");
        runner.run("GET", "k");
        assertTrue(line(runner.client).contains(" flags=xd "), line(runner.client));
        assertTrue(line(runner.client).contains(" multi=2 "), line(runner.client));
    }

    @Test
    void lastUnsubscribeForgetsTheChannelAndLeavesSubscribedMode() {
        Client publisher = runner.newClient();
        runner.run("SUBSCRIBE", "a");
        runner.runAs(other, "SUBSCRIBE", "a");
        assertEquals(":2\r\n", runner.runAs(publisher, "PUBLISH", "a", "m"));
        runner.run("UNSUBSCRIBE");
        assertFalse(runner.client.isSubscribed());
        runner.server.unregister(other);
        assertEquals("*0\r\n", runner.run("PUBSUB", "CHANNELS"));
        assertEquals(":0\r\n", runner.run("PUBLISH", "a", "m"));
    }

    @Test
    void resetLeavesEveryChannelAndPattern() {
        runner.run("SUBSCRIBE", "a");
        runner.run("PSUBSCRIBE", "*");
        assertEquals("+RESET\r\n", runner.run("RESET"));
        assertEquals(":0\r\n", runner.run("PUBSUB", "NUMPAT"));
        assertEquals("*2\r\n$1\r\na\r\n:0\r\n", runner.run("PUBSUB", "NUMSUB", "a"));
    }
}
