// Cluster tests' tools: our nodes (in this JVM or as killable processes), redis-cli runs, and CLUSTER NODES views.
package io.port6379.server.cluster;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.server.main.Main;
import io.port6379.testing.Binaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

final class ClusterHarness {

    private ClusterHarness() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One of ours in this JVM, in cluster mode, on free ports. */
    static EmbeddedServer ours(long nodeTimeout) throws IOException {
        return EmbeddedServer.builder().temporaryDataDirectory().config("cluster-enabled", "yes")
                .config("cluster-port", Integer.toString(freePort()))
                .config("cluster-node-timeout", Long.toString(nodeTimeout))
                .config("repl-diskless-sync-delay", "0").start();
    }

    /** One of ours as a process of its own, so that it can be SIGKILLed; {@code dir} keeps its nodes.conf. */
    static final class OurProcess implements AutoCloseable {
        final Process process;
        final int port;
        final int clusterPort;
        final Path dir;

        OurProcess(Path dir, int port, int clusterPort, long nodeTimeout) throws IOException, InterruptedException {
            this.dir = dir;
            this.port = port;
            this.clusterPort = clusterPort;
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-port", Integer.toString(clusterPort),
                    "--cluster-node-timeout", Long.toString(nodeTimeout), "--dir", dir.toString(), "--save", "",
                    "--repl-diskless-sync-delay", "0");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
            await("our process to listen on " + port, 30, () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        static OurProcess start(long nodeTimeout) throws IOException, InterruptedException {
            return new OurProcess(Files.createTempDirectory("cluster-node"), freePort(), freePort(), nodeTimeout);
        }

        /** The same node started again, with the nodes.conf it wrote. */
        OurProcess restart(long nodeTimeout) throws IOException, InterruptedException {
            return new OurProcess(dir, port, clusterPort, nodeTimeout);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * redis-cli with these arguments: its output (stdout and stderr), and a failure when it does not exit 0 or has not
     * finished within 60 seconds. The output goes to a file, not a pipe read to its end first: a redis-cli that never
     * ends (a connection whose server stopped answering) would hold the read, and the test, for ever.
     */
    static String cli(String... args) throws IOException, InterruptedException {
        return cli(60, List.of(args));
    }

    /** {@link #cli(String...)} within {@code seconds}. */
    static String cli(long seconds, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Binaries.require("redis-cli").toString()));
        command.addAll(args);
        Path output = Files.createTempFile("redis-cli", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!finished || process.exitValue() != 0) {
                throw new AssertionError("redis-cli " + String.join(" ", args)
                        + (finished ? " failed" : " did not finish within " + seconds + " s") + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * {@code redis-cli --cluster create} of the nodes on {@code ports}; when it fails or hangs (waiting for the nodes
     * to agree), the failure shows each node's own CLUSTER NODES, to tell which node missed which.
     */
    static String create(List<Integer> ports, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        ports.forEach(port -> args.add("127.0.0.1:" + port));
        args.addAll(List.of(options));
        try {
            return cli(60, args);
        } catch (AssertionError e) {
            StringBuilder views = new StringBuilder(e.getMessage());
            for (int port : ports) {
                String nodes;
                try {
                    nodes = cluster(port, "NODES");
                } catch (RuntimeException unreachable) {
                    nodes = unreachable.toString();
                }
                views.append("\nCLUSTER NODES of ").append(port).append(":\n").append(nodes);
            }
            throw new AssertionError(views.toString(), e);
        }
    }

    static String cluster(int port, String... args) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 2000)) {
            Object reply = jedis.sendCommand(() -> "CLUSTER".getBytes(), args);
            return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        }
    }

    /**
     * CLUSTER NODES without what differs from one node's view to another's by nature: "myself", the ping and
     * pong times. Sorted, so two nodes that agree give the same text.
     */
    static String view(int port) {
        return cluster(port, "NODES").lines().map(line -> {
            String[] f = line.split(" ");
            StringBuilder text = new StringBuilder(f[0]).append(' ').append(f[1]).append(' ')
                    .append(f[2].replace("myself,", "")).append(' ').append(f[3]).append(' ').append(f[6])
                    .append(' ').append(f[7]);
            for (int i = 8; i < f.length; i++) {
                text.append(' ').append(f[i]);
            }
            return text.toString();
        }).sorted().collect(Collectors.joining("\n"));
    }

    /** Whether every node gives the same view, with {@code expectedNodes} nodes, all connected, and says ok. */
    static boolean agree(List<Integer> ports, int expectedNodes) {
        try {
            String first = view(ports.getFirst());
            if (first.lines().count() != expectedNodes || first.contains("fail") || first.contains("handshake")
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

    /** Every node's CLUSTER NODES and ROLE, for a failure message. */
    static String dump(List<Integer> ports) {
        StringBuilder text = new StringBuilder();
        for (int port : ports) {
            text.append("== ").append(port).append(' ').append(role(port)).append('\n');
            try {
                text.append(cluster(port, "NODES")).append(cluster(port, "INFO").lines().findFirst().orElse(""))
                        .append('\n');
            } catch (RuntimeException e) {
                text.append(e.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    /** Whether every replica among {@code ports} has its replication link up (a replica that never synced cannot fail over). */
    static boolean replicasSynced(List<Integer> ports) {
        for (int port : ports) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 2000)) {
                String info = jedis.info("replication");
                if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    static String role(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 2000)) {
            return new String((byte[]) ((List<?>) jedis.sendCommand(() -> "ROLE".getBytes())).getFirst());
        } catch (RuntimeException e) {
            return "down";
        }
    }
}
