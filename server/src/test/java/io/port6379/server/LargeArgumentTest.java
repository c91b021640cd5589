// Large arguments over the socket, ours against redis-server: split anywhere, pipelined, read straight into place.
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bulk argument of 32 KB or more is read from the socket straight into its own array once its header is decoded
 * ({@code RequestDecoder.readPayload}), as Redis reads a big argument straight into its final string. These tests
 * send values of 40 KB to 3 MB to a real redis-server and to ours, in writes cut at random places (inside a header,
 * a payload, the CRLF after it), with commands pipelined behind them, and compare every byte of the replies.
 */
class LargeArgumentTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static byte[] value(Random random, int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
        return value;
    }

    private static void command(ByteArrayOutputStream out, byte[]... args) {
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes(new byte[]{'\r', '\n'});
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code request} in writes of random sizes, then reads replies until the final PING's PONG. */
    private static byte[] exchange(int port, byte[] request, long seed) throws IOException {
        Random random = new Random(seed);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[64 * 1024];
                byte[] pong = ascii("+PONG\r\n");
                byte[] last = new byte[pong.length]; // the last bytes received
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (replies) {
                            replies.write(buffer, 0, n);
                        }
                        int keep = Math.max(0, last.length - n);
                        System.arraycopy(last, last.length - keep, last, 0, keep);
                        System.arraycopy(buffer, n - (last.length - keep), last, keep, last.length - keep);
                        if (java.util.Arrays.equals(last, pong)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // the assertion on the replies reports what arrived
                }
            });
            for (int from = 0; from < request.length; ) {
                int n = Math.min(request.length - from, 1 + random.nextInt(random.nextBoolean() ? 50 : 300_000));
                out.write(request, from, n);
                out.flush();
                from += n;
            }
            reader.join(30_000);
            synchronized (replies) {
                return replies.toByteArray();
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    @Test
    void largeValuesSplitAnywhereAndPipelinedGetTheSameRepliesAsRedis() throws IOException {
        Random random = new Random(6379);
        for (int round = 0; round < 5; round++) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            command(request, ascii("FLUSHALL"));
            byte[] big = value(random, 1_000_000 + random.nextInt(2_200_000));
            byte[] mid = value(random, 32 * 1024 + random.nextInt(100_000));
            command(request, ascii("SET"), ascii("big"), big);
            command(request, ascii("SET"), ascii("mid"), mid);
            command(request, ascii("STRLEN"), ascii("big"));
            command(request, ascii("GET"), ascii("mid"));
            command(request, ascii("GETRANGE"), ascii("big"), ascii("-20"), ascii("-1"));
            command(request, ascii("APPEND"), ascii("mid"), value(random, 40_000));
            command(request, ascii("STRLEN"), ascii("mid"));
            command(request, ascii("RPUSH"), ascii("list"), mid, ascii("small"), big);
            command(request, ascii("LINDEX"), ascii("list"), ascii("2"));
            command(request, ascii("PING"));
            long seed = random.nextLong();
            byte[] redis = exchange(servers.redis().port(), request.toByteArray(), seed);
            byte[] ours = exchange(servers.ours().port(), request.toByteArray(), seed);
            assertEquals(redis.length, ours.length, "round " + round);
            assertArrayEquals(redis, ours, "round " + round);
        }
    }

    @Test
    void aLargeValueStoredByOneClientIsReadWholeByAnother() throws IOException {
        Random random = new Random(17);
        byte[] value = value(random, 700_000);
        ByteArrayOutputStream write = new ByteArrayOutputStream();
        command(write, ascii("SET"), ascii("shared"), value);
        command(write, ascii("PING"));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        command(read, ascii("GET"), ascii("shared"));
        command(read, ascii("PING"));
        for (int port : new int[]{servers.redis().port(), servers.ours().port()}) {
            assertArrayEquals(ascii("+OK\r\n+PONG\r\n"), exchange(port, write.toByteArray(), 1));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(ascii("$700000\r\n"));
            expected.writeBytes(value);
            expected.writeBytes(ascii("\r\n+PONG\r\n"));
            assertArrayEquals(expected.toByteArray(), exchange(port, read.toByteArray(), 2));
        }
    }
}
