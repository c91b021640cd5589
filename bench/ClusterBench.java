// bench/cluster's measurements: failure detection and failover times, and gossip traffic, at several cluster sizes.
import io.port6379.server.cluster.ClusterMessageCodec;
import io.port6379.server.embedded.EmbeddedServer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * For each kind (ours, redis) and size N, it builds a cluster of N nodes, N/2 masters with one replica each, with
 * {@code redis-cli --cluster create}, then:
 * <ul>
 * <li>gossip: every node's {@code cluster_stats_messages_sent} over a quiet window, per node and second; the bytes
 * are those messages times the size of a PING/PONG at this size, 2256 + 104 x min(max(N/10, 3), N-2), since a
 * heartbeat carries the header and that many gossip sections;</li>
 * <li>a master is killed (SIGKILL for redis-server; for ours, all in this JVM, its sockets closed at once, which is what
 * the peers see of a SIGKILL): the time until a surviving node flags it {@code fail} (detection), until its replica
 * answers ROLE master (promotion), and until every survivor says {@code cluster_state:ok}.</li>
 * </ul>
 * One CSV row per kind and size, appended to the file (its header written first when the file is new). Run by
 * bench/cluster with the server's jar on the class path:
 *
 * <pre>java -cp server/target/port6379-server.jar bench/ClusterBench.java KINDS SIZES NODE_TIMEOUT_MS GOSSIP_SECONDS CSV</pre>
 *
 * Our nodes run with the JVM's defaults (not server/jvm.options: one carrier thread would be shared by every node of
 * this JVM). The nodes' ports are free ports the kernel gives; the nodes bind 127.0.0.1 alone.
 */
public final class ClusterBench {

    static final String HEADER = "kind,nodes,node_timeout_ms,messages_per_node_s,heartbeat_bytes,"
            + "gossip_bytes_per_node_s,detect_ms,promote_ms,ok_ms";

    interface Node extends AutoCloseable {
        int port();

        void kill() throws Exception;

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java -cp <server jar> bench/ClusterBench.java KINDS SIZES NODE_TIMEOUT_MS "
                    + "GOSSIP_SECONDS CSV");
            System.exit(2);
        }
        List<String> kinds = List.of(args[0].split(","));
        List<String> sizes = List.of(args[1].split(","));
        long nodeTimeout = Long.parseLong(args[2]);
        long gossipSeconds = Long.parseLong(args[3]);
        Path csv = Path.of(args[4]);
        if (!Files.exists(csv)) {
            Files.writeString(csv, HEADER + "\n");
        }
        int status = 0;
        try {
            for (String size : sizes) {
                for (String kind : kinds) {
                    String row = run(kind, Integer.parseInt(size), nodeTimeout, gossipSeconds);
                    System.out.println(row);
                    Files.writeString(csv, row + "\n", StandardOpenOption.APPEND);
                }
            }
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // a node that failed to stop would keep this JVM alive
    }

    static Node start(String kind, long nodeTimeout) throws Exception {
        return switch (kind) {
            case "ours" -> ours(nodeTimeout);
            case "redis" -> redis(nodeTimeout);
            default -> throw new IllegalArgumentException("unknown kind " + kind + " (ours or redis)");
        };
    }

    static Node ours(long nodeTimeout) throws IOException {
        EmbeddedServer server = EmbeddedServer.builder().temporaryDataDirectory().config("cluster-enabled", "yes")
                .config("cluster-port", Integer.toString(freePort()))
                .config("cluster-node-timeout", Long.toString(nodeTimeout))
                .config("repl-diskless-sync-delay", "0").start();
        return new Node() {
            public int port() {
                return server.port();
            }

            public void kill() {
                server.stopNow();
            }

            public void close() {
                if (!server.isStopped()) {
                    server.stopNow();
                }
            }
        };
    }

    static Node redis(long nodeTimeout) throws Exception {
        Path dir = Files.createTempDirectory("cluster-bench");
        int port = freePort();
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-port", Integer.toString(freePort()),
                "--cluster-node-timeout", Long.toString(nodeTimeout), "--cluster-config-file", "nodes.conf",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        Node node = new Node() {
            public int port() {
                return port;
            }

            public void kill() throws InterruptedException {
                process.destroyForcibly(); // SIGKILL
                process.waitFor();
            }

            public void close() throws Exception {
                kill();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        };
        try {
            await("redis-server to answer on " + port, 30, () -> {
                try {
                    return "PONG".equals(call(port, "PING"));
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    static String run(String kind, int size, long nodeTimeout, long gossipSeconds) throws Exception {
        List<Node> nodes = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Node node = start(kind, nodeTimeout);
                nodes.add(node);
                ports.add(node.port());
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            cli(create);
            await("the cluster to agree", 120, () -> agree(ports, size));
            await("the replicas to sync", 120, () -> replicasSynced(ports));

            long before = 0;
            for (int port : ports) {
                before += messagesSent(port);
            }
            long start = System.nanoTime();
            Thread.sleep(gossipSeconds * 1000);
            long after = 0;
            for (int port : ports) {
                after += messagesSent(port);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perNode = (after - before) / seconds / size;

            Node victim = nodes.getFirst();
            int victimPort = victim.port();
            String victimId = lineAbout(ports.get(1), victimPort)[0];
            int replica = replicaOf(ports.get(1), victimPort);
            List<Integer> survivors = new ArrayList<>(ports);
            survivors.remove(Integer.valueOf(victimPort));
            int watcher = survivors.stream().filter(port -> port != replica).findFirst().orElseThrow();
            long killed = System.nanoTime();
            victim.kill();
            await("FAIL", 60, () -> cluster(watcher, "NODES").lines()
                    .anyMatch(line -> line.startsWith(victimId + " ") && line.split(" ")[2].contains("fail")
                            && !line.split(" ")[2].contains("fail?")));
            long detectMs = (System.nanoTime() - killed) / 1_000_000;
            await("promotion", 60, () -> role(replica).equals("master"));
            long promoteMs = (System.nanoTime() - killed) / 1_000_000;
            await("ok everywhere", 60, () -> survivors.stream()
                    .allMatch(port -> cluster(port, "INFO").contains("cluster_state:ok")));
            long okMs = (System.nanoTime() - killed) / 1_000_000;
            return String.format(Locale.ROOT, "%s,%d,%d,%.1f,%d,%.0f,%d,%d,%d", kind, size, nodeTimeout,
                    perNode, heartbeatBytes(size), perNode * heartbeatBytes(size), detectMs, promoteMs, okMs);
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    static int heartbeatBytes(int nodes) {
        int wanted = Math.min(Math.max(nodes / 10, 3), nodes - 2);
        return ClusterMessageCodec.HEADER_LEN + ClusterMessageCodec.GOSSIP_LEN * wanted;
    }

    static long messagesSent(int port) {
        return cluster(port, "INFO").lines().filter(line -> line.startsWith("cluster_stats_messages_sent:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
    }

    /** Whether every node gives the same view of CLUSTER NODES, with {@code expected} nodes, all connected, and is ok. */
    static boolean agree(List<Integer> ports, int expected) {
        try {
            String first = view(ports.getFirst());
            if (first.lines().count() != expected || first.contains("fail") || first.contains("handshake")
                    || first.contains("disconnected")) {
                return false;
            }
            for (int port : ports) {
                if (!view(port).equals(first) || !cluster(port, "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** CLUSTER NODES without what differs from one node's view to another's by nature: "myself", ping and pong times. */
    static String view(int port) {
        return String.join("\n", cluster(port, "NODES").lines().map(line -> {
            String[] f = line.split(" ");
            StringBuilder text = new StringBuilder(f[0]).append(' ').append(f[1]).append(' ')
                    .append(f[2].replace("myself,", "")).append(' ').append(f[3]);
            for (int i = 6; i < f.length; i++) {
                text.append(' ').append(f[i]);
            }
            return text.toString();
        }).sorted().toList());
    }

    /** Whether every replica among {@code ports} has its link to its master up (one that never synced cannot fail over). */
    static boolean replicasSynced(List<Integer> ports) {
        for (int port : ports) {
            try {
                String info = (String) call(port, "INFO", "replication");
                if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** The line of CLUSTER NODES (as {@code port} sees it) about the node listening on {@code nodePort}. */
    static String[] lineAbout(int port, int nodePort) {
        return cluster(port, "NODES").lines().filter(line -> line.split(" ")[1].startsWith("127.0.0.1:" + nodePort + "@"))
                .findFirst().map(line -> line.split(" ")).orElseThrow();
    }

    /** The port of the replica of the master on {@code masterPort}, as {@code port} sees it. */
    static int replicaOf(int port, int masterPort) {
        String masterId = lineAbout(port, masterPort)[0];
        return cluster(port, "NODES").lines().map(line -> line.split(" ")).filter(f -> f[3].equals(masterId))
                .map(f -> Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))))
                .findFirst().orElseThrow();
    }

    static String role(int port) {
        try {
            return (String) ((List<?>) call(port, "ROLE")).getFirst();
        } catch (RuntimeException e) {
            return "down";
        }
    }

    static String cluster(int port, String subcommand) {
        return (String) call(port, "CLUSTER", subcommand);
    }

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** redis-cli with these arguments, within 120 s; its output goes to a file, so that a hung one cannot hold us. */
    static void cli(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli"));
        command.addAll(args);
        Path output = Files.createTempFile("redis-cli", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * One command on a new connection to 127.0.0.1:{@code port}, and its RESP2 reply: a String for a simple or bulk
     * string, a Long, a List, or null; an error reply, or no answer within 2 s, throws.
     */
    static Object call(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("no reply from port " + port + ": " + e.getMessage(), e);
        }
    }

    private static Object reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    elements.add(reply(in));
                }
                yield elements;
            }
            default -> throw new IOException("unexpected reply type " + type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) b);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
