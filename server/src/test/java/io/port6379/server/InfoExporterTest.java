// Debian's prometheus-redis-exporter against both servers: the metric names it exports from our INFO are Redis's.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Monitoring tools read INFO (and CONFIG, SLOWLOG, LATENCY) and turn fields into metrics; a field we lack is a
 * metric that silently disappears from a dashboard. The same writes go to both servers, then one exporter per server
 * is scraped once and the metric names (labels aside) compared. Left out of the comparison, by name: the metrics of
 * INFO memory's {@code used_memory*} fields and of {@code io-threads}, which come with the memory accounting and
 * the configuration parameters.
 */
class InfoExporterTest {

    private static final Path EXPORTER = Path.of("/usr/bin/prometheus-redis-exporter");
    private static final Set<String> LEFT_TO_OTHER_WORK = Set.of("redis_memory_used_dataset_bytes",
            "redis_memory_used_lua_bytes", "redis_memory_used_overhead_bytes", "redis_memory_used_peak_bytes",
            "redis_memory_used_scripts_bytes", "redis_memory_used_startup_bytes", "redis_config_io_threads");

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void exporterFindsRedisMetricsInOurInfo() throws Exception {
        if (!Files.isExecutable(EXPORTER)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("prometheus-redis-exporter is missing: .ci/run installs it");
            }
            Assumptions.abort("prometheus-redis-exporter is not installed (apt-get install prometheus-redis-exporter)");
        }
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection connection = new RespConnection(port)) {
                connection.call("SET", "a", "1");
                connection.call("SET", "b", "2", "EX", "100");
                connection.call("RPUSH", "l", "x");
                connection.call("GET", "nokey");
                connection.call("INCR", "l");
                connection.call("SELECT", "3");
                connection.call("SET", "c", "3");
            }
        }
        Set<String> redis = metricNames(servers.redis().port());
        Set<String> ours = metricNames(servers.ours().port());
        Set<String> missing = new TreeSet<>(redis);
        missing.removeAll(ours);
        missing.removeAll(LEFT_TO_OTHER_WORK);
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(redis);
        System.out.println("InfoExporterTest: " + redis.size() + " metric names from redis-server, " + ours.size() + " from ours");
        assertEquals(Set.of(), missing, "metrics Redis exports and ours does not");
        assertEquals(Set.of(), extra, "metrics ours exports and Redis does not");
        assertTrue(redis.size() > 100, "the exporter scraped Redis: " + redis);
    }

    /** Runs the exporter against {@code port}, scrapes it once, and returns the names of the metrics it exported. */
    private static Set<String> metricNames(int port) throws Exception {
        int web;
        try (ServerSocket free = new ServerSocket(0)) {
            web = free.getLocalPort();
        }
        Process exporter = new ProcessBuilder(EXPORTER.toString(), "-redis.addr", "redis://127.0.0.1:" + port,
                "-web.listen-address", "127.0.0.1:" + web, "-redis-only-metrics", "-include-system-metrics")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/metrics")).build();
            for (int attempt = 0; ; attempt++) {
                try {
                    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                    Set<String> names = new TreeSet<>();
                    body.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                            .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
                    return names;
                } catch (IOException notListeningYet) {
                    if (attempt == 100) {
                        throw notListeningYet;
                    }
                    Thread.sleep(50);
                }
            }
        } finally {
            exporter.destroy();
            exporter.waitFor();
        }
    }
}
