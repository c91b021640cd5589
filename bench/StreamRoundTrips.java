// Consumer-group round trips per second: each consumer reads one entry with XREADGROUP and acknowledges it with XACK.
//
//   java bench/StreamRoundTrips.java <port> <consumers> <round trips per consumer>
//
// The stream `bench:stream` and its group `bench` are made here: the stream gets consumers x round trips entries
// (XADD pipelined, not timed), then each consumer, on a connection and a thread of its own, repeats
// `XREADGROUP GROUP bench c<n> COUNT 1 STREAMS bench:stream >` and `XACK bench:stream bench <id>`, each waiting for
// its reply: the pattern of a worker that takes one job at a time. Prints one line, `round_trips_per_s,p50_us,p99_us`
// (a round trip being both commands), and checks that every entry was delivered once and nothing is left pending.
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

public class StreamRoundTrips {

    private static final String KEY = "bench:stream";
    private static final String GROUP = "bench";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int consumers = Integer.parseInt(args[1]);
        int perConsumer = Integer.parseInt(args[2]);
        try (Connection setup = new Connection(port)) {
            setup.call("DEL", KEY);
            int total = consumers * perConsumer;
            for (int sent = 0; sent < total; sent += 1000) {
                int batch = Math.min(1000, total - sent);
                for (int i = 0; i < batch; i++) {
                    setup.send("XADD", KEY, "*", "job", Integer.toString(sent + i), "payload", "x".repeat(32));
                }
                for (int i = 0; i < batch; i++) {
                    setup.read();
                }
            }
            setup.call("XGROUP", "CREATE", KEY, GROUP, "0");
        }
        long[][] latencies = new long[consumers][perConsumer];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            int index = c;
            Connection connection = new Connection(port);
            threads.add(Thread.ofPlatform().start(() -> {
                try (connection) {
                    start.await();
                    String name = "c" + index;
                    for (int i = 0; i < perConsumer; i++) {
                        long t0 = System.nanoTime();
                        Object reply = connection.call("XREADGROUP", "GROUP", GROUP, name, "COUNT", "1", "STREAMS", KEY, ">");
                        String id = firstId(reply);
                        Object acked = connection.call("XACK", KEY, GROUP, id);
                        if (!Long.valueOf(1).equals(acked)) {
                            throw new IllegalStateException("XACK " + id + " answered " + acked);
                        }
                        latencies[index][i] = System.nanoTime() - t0;
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - t0;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a consumer failed", failures.getFirst());
        }
        try (Connection check = new Connection(port)) {
            Object pending = check.call("XPENDING", KEY, GROUP);
            if (!Long.valueOf(0).equals(((List<?>) pending).getFirst())) {
                throw new IllegalStateException("entries left pending: " + pending);
            }
            check.call("DEL", KEY);
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double perSecond = all.length / (elapsed / 1e9);
        System.out.printf("%.0f,%.1f,%.1f%n", perSecond, all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3);
    }

    /** The ID of the one entry of an XREADGROUP reply: [[key, [[id, fields]]]]. */
    private static String firstId(Object reply) {
        List<?> streams = (List<?>) reply;
        List<?> entries = (List<?>) ((List<?>) streams.getFirst()).get(1);
        return (String) ((List<?>) entries.getFirst()).getFirst();
    }

    /** A RESP2 connection: commands as arrays of bulk strings; replies as String, Long, List or an exception. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        Object call(String... args) throws IOException {
            send(args);
            return read();
        }

        void send(String... args) throws IOException {
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        Object read() throws IOException {
            out.flush();
            int type = in.read();
            String line = line();
            return switch (type) {
                case '+' -> line;
                case '-' -> throw new IOException("error reply: " + line);
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
                    List<Object> items = new ArrayList<>(Math.max(count, 0));
                    for (int i = 0; i < count; i++) {
                        items.add(read());
                    }
                    yield count < 0 ? null : items;
                }
                default -> throw new IOException("unexpected reply type " + (char) type);
            };
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                b.append((char) c);
            }
            in.read();
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
