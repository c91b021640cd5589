// The law of blocking pops: each pushed element goes to exactly one waiter, waiters on a key in arrival order.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.config.ServerConfig;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model check: random sequences of "a new client runs BLPOP on key k" and "RPUSH n elements onto k" are run on
 * a {@link ServerContext} with detached clients, and on a model where every key has a FIFO of waiters and a
 * FIFO of elements. After every step each client's reply (or its silence) and each list's contents must be
 * the model's.
 */
class BlockingFairnessProperties {

    /** One step: {@code count == 0} blocks a new client on {@code key}; otherwise pushes that many elements. */
    record Step(String key, int count) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Arbitraries.of("a", "b").flatMap(key ->
                Arbitraries.integers().between(0, 3).map(count -> new Step(key, count)));
        return step.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void everyElementGoesToTheOldestWaiterOfItsKey(@ForAll("steps") List<Step> steps) throws Exception {
        ServerContext server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        Client producer = Client.detached(0, server);
        Map<String, ArrayDeque<Integer>> waiters = new HashMap<>();
        Map<String, ArrayDeque<String>> elements = new HashMap<>();
        List<RespWriter> replies = new ArrayList<>();
        List<String> expectedReplies = new ArrayList<>();
        int nextElement = 0;
        for (Step step : steps) {
            ArrayDeque<Integer> keyWaiters = waiters.computeIfAbsent(step.key(), k -> new ArrayDeque<>());
            ArrayDeque<String> keyElements = elements.computeIfAbsent(step.key(), k -> new ArrayDeque<>());
            if (step.count() == 0) {
                RespWriter reply = new RespWriter();
                run(server, Client.detached(replies.size() + 1, server), reply, "BLPOP", step.key(), "0");
                replies.add(reply);
                String element = keyElements.pollFirst();
                if (element == null) {
                    keyWaiters.addLast(replies.size() - 1);
                    expectedReplies.add("");
                } else {
                    expectedReplies.add(served(step.key(), element));
                }
            } else {
                List<String> pushed = new ArrayList<>(List.of("RPUSH", step.key()));
                for (int i = 0; i < step.count(); i++) {
                    String element = "e" + nextElement++;
                    pushed.add(element);
                    keyElements.addLast(element);
                }
                run(server, producer, new RespWriter(), pushed.toArray(String[]::new));
                while (!keyWaiters.isEmpty() && !keyElements.isEmpty()) {
                    expectedReplies.set(keyWaiters.pollFirst(), served(step.key(), keyElements.pollFirst()));
                }
            }
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(expectedReplies.get(i), new String(replies.get(i).toByteArray(), StandardCharsets.ISO_8859_1));
            }
        }
        for (String key : elements.keySet()) {
            RespWriter range = new RespWriter();
            run(server, producer, range, "LLEN", key);
            assertEquals(":" + elements.get(key).size() + "\r\n", new String(range.toByteArray(), StandardCharsets.ISO_8859_1));
        }
    }

    private static String served(String key, String element) {
        return "*2\r\n$" + key.length() + "\r\n" + key + "\r\n$" + element.length() + "\r\n" + element + "\r\n";
    }

    private static void run(ServerContext server, Client client, RespWriter reply, String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        server.executionLock().lock();
        try {
            server.execute(client, args, reply);
        } finally {
            server.executionLock().unlock();
        }
    }
}
