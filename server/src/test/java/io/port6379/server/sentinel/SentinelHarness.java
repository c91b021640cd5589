// Three real redis-sentinel processes (quorum 2) watching a master and its replicas, with fast timeouts, for tests.
package io.port6379.server.sentinel;

import io.port6379.testing.Binaries;
import io.port6379.testing.RespConnection;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The deployment the Sentinel documentation recommends, shrunk onto one machine: three Sentinels, a quorum of
 * two, one master and two replicas, every process on 127.0.0.1 and a port the OS just handed out, each in a
 * temporary directory of its own (a Sentinel rewrites its config file as it learns, so the file must be writable).
 *
 * <p>The timeouts are cut from the defaults (30 s to notice, 3 min per failover) to what a test can wait for:
 * {@value #DOWN_AFTER_MS} ms without a valid PING reply makes a node subjectively down, and a failover that has not
 * ended after {@value #FAILOVER_TIMEOUT_MS} ms is given up (also the pause before the same Sentinel tries again).
 * Not lower: a Sentinel pings every node once a second, so at 1000 ms a single late reply right after a switch,
 * on a loaded 2-core machine, makes the freshly promoted master "down" and starts a second failover.
 *
 * <p>The test reads what the Sentinels think in two ways: their answers to {@code SENTINEL ...} commands, and the
 * events each one publishes on its own pub/sub channels ({@code +sdown}, {@code +odown}, {@code +switch-master}
 * ...), which a {@code PSUBSCRIBE *} per Sentinel records from the start.
 */
final class SentinelHarness implements AutoCloseable {

    static final String MASTER_NAME = "mymaster";
    static final int QUORUM = 2;
    static final int DOWN_AFTER_MS = 1500;
    static final int FAILOVER_TIMEOUT_MS = 6000;

    /** One event a Sentinel published: its channel is the event's type. */
    record Event(int sentinelPort, String type, String payload, long nanoTime) {
    }

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final List<RespConnection> listeners = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private SentinelHarness(Path root) {
        this.root = root;
    }

    /** Starts the master (kinds[0]), its replicas (the others) and three Sentinels; see {@link #awaitReady}. */
    static SentinelHarness start(List<Node.Kind> kinds) throws IOException, InterruptedException {
        SentinelHarness harness = new SentinelHarness(Files.createTempDirectory("sentinel-harness"));
        try {
            Node master = Node.start(kinds.get(0), harness.root.resolve("node0"), 0);
            harness.nodes.add(master);
            for (int i = 1; i < kinds.size(); i++) {
                harness.nodes.add(Node.start(kinds.get(i), harness.root.resolve("node" + i), master.port()));
            }
            for (int i = 0; i < 3; i++) {
                harness.startSentinel(i, master.port());
            }
            return harness;
        } catch (IOException | InterruptedException | RuntimeException e) {
            harness.close();
            throw e;
        }
    }

    private void startSentinel(int index, int masterPort) throws IOException, InterruptedException {
        Path directory = Files.createDirectories(root.resolve("sentinel" + index));
        int port = freePort();
        Path config = directory.resolve("sentinel.conf");
        // tag::sentinel-conf[]
        Files.write(config, List.of("port " + port, "bind 127.0.0.1", "dir " + directory,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " " + QUORUM,
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MS,
                "sentinel parallel-syncs " + MASTER_NAME + " 1"));
        // end::sentinel-conf[]
        Path log = directory.resolve("sentinel.log");
        Process process = new ProcessBuilder(Binaries.require("redis-sentinel").toString(), config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        sentinels.add(process);
        sentinelPorts.add(port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains("+monitor master")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-sentinel did not start; its log:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        listen(port);
    }

    /** Records every event the Sentinel on {@code port} publishes, from now on, on a daemon thread. */
    private void listen(int port) throws IOException {
        RespConnection connection = new RespConnection(port);
        connection.timeout(0);
        connection.callParsed("PSUBSCRIBE", "*");
        listeners.add(connection);
        Thread.ofPlatform().daemon().name("sentinel-events-" + port).start(() -> {
            try {
                while (true) {
                    if (connection.readParsed() instanceof List<?> message && message.size() == 4) {
                        events.add(new Event(port, (String) message.get(2), (String) message.get(3), System.nanoTime()));
                    }
                }
            } catch (IOException e) {
                // closed with the harness
            }
        });
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Integer> sentinelPorts() {
        return sentinelPorts;
    }

    List<Event> events() {
        return events;
    }

    /** The node listening on {@code port}. */
    Node node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** The master's port according to the Sentinel on {@code sentinelPort}. */
    int masterPort(int sentinelPort) throws IOException {
        try (RespConnection connection = new RespConnection(sentinelPort)) {
            List<?> address = (List<?>) connection.callParsed("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
            return Integer.parseInt((String) address.get(1));
        }
    }

    /** What the Sentinel on {@code sentinelPort} knows of the master, as {@code SENTINEL MASTER}'s field map. */
    Map<String, String> masterState(int sentinelPort) throws IOException {
        try (RespConnection connection = new RespConnection(sentinelPort)) {
            return fields((List<?>) connection.callParsed("SENTINEL", "MASTER", MASTER_NAME));
        }
    }

    /**
     * Waits until every Sentinel knows the master, all its replicas and the two other Sentinels: before that, a
     * failover could lack the votes or the candidates, and the test would measure the discovery, not the failover.
     */
    void awaitReady(long timeoutMillis) throws Exception {
        await(timeoutMillis, "the Sentinels to know the master, " + (nodes.size() - 1) + " replicas and each other", () -> {
            for (int port : sentinelPorts) {
                Map<String, String> master = masterState(port);
                if (!master.get("flags").equals("master") || Integer.parseInt(master.get("num-slaves")) != nodes.size() - 1
                        || Integer.parseInt(master.get("num-other-sentinels")) != sentinelPorts.size() - 1) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits for a {@code +switch-master} away from {@code oldMasterPort}; returns the new master's port. */
    int awaitSwitchMaster(int oldMasterPort, long timeoutMillis) throws Exception {
        int[] result = new int[1];
        await(timeoutMillis, "+switch-master from " + oldMasterPort, () -> {
            for (Event event : events) {
                // "<name> <old ip> <old port> <new ip> <new port>"
                String[] words = event.payload().split(" ");
                if (event.type().equals("+switch-master") && Integer.parseInt(words[2]) == oldMasterPort) {
                    result[0] = Integer.parseInt(words[4]);
                    return true;
                }
            }
            return false;
        });
        return result[0];
    }

    /**
     * Waits until the deployment has settled on one master: every Sentinel names the same port, that node says it
     * is a master with {@code replicas} replicas online, and each of those says its link to it is up. Returns the
     * master's port (a second failover may have happened in between; the test then settles on the last one).
     */
    int awaitSettled(int replicas, long timeoutMillis) throws Exception {
        int[] result = new int[1];
        await(timeoutMillis, "one master with " + replicas + " replicas online, named by every Sentinel", () -> {
            int master = masterPort(sentinelPorts.get(0));
            for (int port : sentinelPorts) {
                if (masterPort(port) != master) {
                    return false;
                }
            }
            Node node = node(master);
            if (!node.alive() || !"master".equals(node.info("role")) || !Integer.toString(replicas).equals(node.info("connected_slaves"))) {
                return false;
            }
            for (Node other : nodes) {
                if (other != node && other.alive() && (!Integer.toString(master).equals(other.info("master_port"))
                        || !"up".equals(other.info("master_link_status")))) {
                    return false;
                }
            }
            result[0] = master;
            return true;
        });
        return result[0];
    }

    /** Every Sentinel's view and every event so far, for a failure message or a log. */
    String view() {
        StringBuilder text = new StringBuilder();
        for (int port : sentinelPorts) {
            try {
                text.append("sentinel ").append(port).append(": ").append(masterState(port)).append('\n');
            } catch (IOException | RuntimeException e) {
                text.append("sentinel ").append(port).append(": ").append(e).append('\n');
            }
        }
        for (Event event : events) {
            text.append(event.sentinelPort()).append(' ').append(event.type()).append(' ').append(event.payload()).append('\n');
        }
        return text.toString();
    }

    /** The logs of every node and Sentinel, for a failure message. */
    String logs() {
        StringBuilder text = new StringBuilder();
        for (Node node : nodes) {
            try {
                text.append(node.logs());
            } catch (IOException e) {
                text.append(node).append(": ").append(e).append('\n');
            }
        }
        for (int i = 0; i < sentinels.size(); i++) {
            try {
                text.append("--- sentinel ").append(sentinelPorts.get(i)).append('\n')
                        .append(Files.readString(root.resolve("sentinel" + i).resolve("sentinel.log"), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                text.append(e).append('\n');
            }
        }
        return text.toString();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every 50 ms; on timeout fails with the Sentinels' view. Connection errors count as "not yet". */
    void await(long timeoutMillis, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited " + timeoutMillis + " ms for " + what + (last == null ? "" : " (last error: " + last + ")")
                + "\n" + view() + "\nnodes: " + nodes);
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the Sentinels first (so that they start no failover of a stopping deployment), then the nodes. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (RespConnection listener : listeners) {
            listener.close();
        }
        for (Process sentinel : sentinels) {
            sentinel.destroyForcibly().waitFor();
        }
        for (Node node : nodes) {
            node.close();
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
