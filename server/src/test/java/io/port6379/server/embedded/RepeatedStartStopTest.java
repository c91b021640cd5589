// Ten servers started and stopped together, round after round, in one JVM: no thread, descriptor or port is left.
package io.port6379.server.embedded;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Dembedded.rounds=100} runs the full loop (8 seconds on a 2-core machine); the default of 10 rounds
 * keeps the build short. Each round starts ten servers on free ports, connects a client to each and runs a command,
 * then stops them all. After the loop the JVM must have as many file descriptors and platform threads as before
 * (give or take the JVM's own), no virtual thread of a server (their names: {@code client}, {@code cron},
 * {@code accept-…}, {@code outbox-…}, {@code blocked-…}), and every port used must be free to bind again.
 */
class RepeatedStartStopTest {

    private static final int SERVERS = 10;
    private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    @Test
    void tenServersStartAndStopRoundAfterRoundWithoutLeaks() throws IOException {
        int rounds = Integer.getInteger("embedded.rounds", 10);
        List<EmbeddedServer> running = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            running.add(EmbeddedServer.start());
        }
        assertEquals(SERVERS, serverThreads().stream().filter("cron"::equals).count(), "the dump sees the servers' threads");
        running.forEach(EmbeddedServer::close);
        round(new ArrayList<>()); // the first rounds load the classes and start the JVM's own service threads
        long descriptorsBefore = openDescriptors();
        int platformThreadsBefore = Thread.getAllStackTraces().size();
        List<Integer> ports = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            round(ports);
        }
        assertEquals(List.of(), serverThreads(), "virtual threads of stopped servers");
        assertTrue(Thread.getAllStackTraces().size() <= platformThreadsBefore + 2,
                "platform threads: " + platformThreadsBefore + " before, " + Thread.getAllStackTraces().size() + " after");
        long descriptorsAfter = openDescriptors();
        assertTrue(descriptorsAfter <= descriptorsBefore + 4,
                "file descriptors: " + descriptorsBefore + " before, " + descriptorsAfter + " after " + rounds + " rounds");
        for (int port : ports.subList(ports.size() - SERVERS, ports.size())) {
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    private static void round(List<Integer> ports) throws IOException {
        List<EmbeddedServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < SERVERS; i++) {
                servers.add(EmbeddedServer.start());
            }
            for (EmbeddedServer server : servers) {
                ports.add(server.port());
                try (Socket socket = new Socket(server.host(), server.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    assertEquals('+', in.read());
                }
            }
        } finally {
            servers.forEach(EmbeddedServer::close);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The names of the live threads a server starts, virtual ones included (from the JVM's JSON thread dump). */
    private static List<String> serverThreads() throws IOException {
        Path dump = Files.createTempFile("threads", ".json");
        Files.delete(dump);
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            Matcher names = THREAD_NAME.matcher(Files.readString(dump));
            List<String> found = new ArrayList<>();
            while (names.find()) {
                String name = names.group(1);
                if (name.startsWith("client") || name.equals("cron") || name.startsWith("accept-")
                        || name.startsWith("outbox-") || name.startsWith("blocked-")) {
                    found.add(name);
                }
            }
            return found;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
