// Replays one Zipf-distributed cache-aside trace (GET, and SET after a miss) against a server; prints its hit ratio.
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The trace is a function of its seed, so every server sees the same requests: key {@code k} is drawn with
 * probability proportional to {@code 1 / k^alpha} (ranks scattered over the key names, so that popularity has
 * nothing to do with insertion order), optionally with a scan burst (every key once, in order) in the middle. Each
 * request is a GET; a miss is followed by a SET of a 100-byte value, as an application filling its cache. Requests
 * are pipelined in batches of 100 (GETs, then the SETs of the batch's misses), and every 20 batches the server's
 * {@code used_memory} is read to record its highest ratio to {@code maxmemory}. The hit ratio counts the requests
 * after the first fifth of the trace, once the cache is warm.
 *
 * <pre>java bench/EvictionTrace.java PORT KEYS REQUESTS ALPHA SCAN(0|1) SEED</pre>
 *
 * Prints one line: {@code hits=... requests=... hit_ratio=0.xxxx max_used_over_maxmemory=1.xxx evicted_keys=...
 * keys_held=...} (DBSIZE at the end: how many keys the server's maxmemory held).
 */
public final class EvictionTrace {

    private static final int BATCH = 100;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int keys = Integer.parseInt(args[1]);
        long requests = Long.parseLong(args[2]);
        double alpha = Double.parseDouble(args[3]);
        boolean scan = args[4].equals("1");
        long seed = Long.parseLong(args[5]);
        double[] cdf = zipf(keys, alpha);
        int[] nameOfRank = shuffled(keys, seed);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 'v');
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            long maxmemory = Long.parseLong(field(info(in, out, "memory"), "maxmemory"));
            long warm = requests / 5;
            long hits = 0;
            long counted = 0;
            double maxRatio = 0;
            long scanStart = scan ? requests / 2 : Long.MAX_VALUE;
            int[] batch = new int[BATCH];
            boolean[] missed = new boolean[BATCH];
            long done = 0;
            for (long b = 0; done < requests; b++) {
                int n = (int) Math.min(BATCH, requests - done);
                for (int i = 0; i < n; i++) {
                    long r = done + i;
                    batch[i] = r >= scanStart && r < scanStart + keys ? (int) (r - scanStart)
                            : nameOfRank[rank(cdf, random.nextDouble())];
                    send(out, "GET", key(batch[i]));
                }
                out.flush();
                int misses = 0;
                for (int i = 0; i < n; i++) {
                    missed[i] = readReply(in) == null;
                    if (missed[i]) {
                        misses++;
                    } else if (done + i >= warm) {
                        hits++;
                    }
                    if (done + i >= warm) {
                        counted++;
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (missed[i]) {
                        send(out, "SET", key(batch[i]), value);
                    }
                }
                out.flush();
                for (int i = 0; i < misses; i++) {
                    readReply(in); // +OK, or -OOM under noeviction
                }
                done += n;
                if (b % 20 == 0 && maxmemory > 0) {
                    long used = Long.parseLong(field(info(in, out, "memory"), "used_memory"));
                    maxRatio = Math.max(maxRatio, used / (double) maxmemory);
                }
            }
            String stats = info(in, out, "stats");
            send(out, "DBSIZE");
            out.flush();
            String held = new String(readReply(in), StandardCharsets.US_ASCII);
            System.out.printf(Locale.ROOT, "hits=%d requests=%d hit_ratio=%.4f max_used_over_maxmemory=%.4f "
                    + "evicted_keys=%s keys_held=%s%n", hits, counted, hits / (double) counted, maxRatio,
                    field(stats, "evicted_keys"), held);
        }
    }

    /** The cumulative distribution of Zipf(alpha) over ranks 0..keys-1. */
    private static double[] zipf(int keys, double alpha) {
        double[] cdf = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += 1 / Math.pow(k + 1, alpha);
            cdf[k] = sum;
        }
        for (int k = 0; k < keys; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    private static int rank(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    private static int[] shuffled(int keys, long seed) {
        int[] names = new int[keys];
        for (int i = 0; i < keys; i++) {
            names[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = keys - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = names[i];
            names[i] = names[j];
            names[j] = t;
        }
        return names;
    }

    private static byte[] key(int n) {
        return ("key:" + n).getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(OutputStream out, Object... args) throws IOException {
        out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object arg : args) {
            byte[] bytes = arg instanceof byte[] b ? b : arg.toString().getBytes(StandardCharsets.US_ASCII);
            out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
    }

    private static String info(InputStream in, OutputStream out, String section) throws IOException {
        send(out, "INFO", section);
        out.flush();
        return new String(readReply(in), StandardCharsets.US_ASCII);
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).findFirst().map(l -> l.substring(name.length() + 1))
                .orElseThrow(() -> new IllegalStateException("no " + name + " in INFO"));
    }

    /** One reply: a bulk string's bytes, null for a null bulk string, the line's bytes for anything else. */
    private static byte[] readReply(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        if (type == '$') {
            int length = Integer.parseInt(line);
            if (length < 0) {
                return null;
            }
            byte[] bytes = in.readNBytes(length);
            in.readNBytes(2);
            return bytes;
        }
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }
}
