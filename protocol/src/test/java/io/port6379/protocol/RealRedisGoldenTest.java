// Proves the golden cases: sends each one's bytes to a real redis-server and checks the reply and the close.
package io.port6379.protocol;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For each {@link GoldenCases golden case}, what Redis answers must be: the replies of the case's commands (the
 * commands are chosen so that their replies are known, see {@link ReplyOracle}), then {@code -ERR <error>} and a closed connection if the case has an error, or else silence on an
 * open connection. Cases run concurrently, one connection each.
 */
class RealRedisGoldenTest {

    /** How long a silent, open connection is watched before we believe Redis is waiting for more input. */
    private static final int SILENCE_MILLIS = 300;

    @Test
    void realRedisAnswersEveryGoldenCaseAsRecorded() throws Exception {
        try (RealRedis open = RealRedis.start();
             RealRedis withPassword = RealRedis.start("--requirepass", GoldenCases.PASSWORD);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<GoldenCase> cases = GoldenCases.all();
            List<Future<Exchange>> answers = new ArrayList<>();
            for (GoldenCase c : cases) {
                int port = c.authRequired() ? withPassword.port() : open.port();
                answers.add(threads.submit(() -> Exchange.with(port, c.input())));
            }
            List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                GoldenCase c = cases.get(i);
                Exchange expected = expectedExchange(c);
                Exchange actual = answers.get(i).get();
                checks.add(() -> assertEquals(expected, actual, c.name()));
            }
            assertAll(checks);
        }
    }

    /** What Redis must send back for the case, and whether it must close the connection. */
    static Exchange expectedExchange(GoldenCase c) {
        StringBuilder replies = new StringBuilder();
        boolean authRequired = c.authRequired();
        for (List<String> command : c.commands()) {
            if (authRequired) {
                if (command.equals(List.of("AUTH", GoldenCases.PASSWORD))) {
                    authRequired = false;
                    replies.append("+OK\r\n");
                } else {
                    replies.append("-NOAUTH Authentication required.\r\n");
                }
                continue;
            }
            replies.append(ReplyOracle.reply(command));
        }
        if (c.error() != null) {
            replies.append("-ERR ").append(c.error()).append("\r\n");
        }
        return new Exchange(replies.toString(), c.error() != null);
    }

    /** The bytes a server sent back (one char per byte) and whether it closed the connection. */
    record Exchange(String replies, boolean closed) {

        static Exchange with(int port, byte[] request) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(SILENCE_MILLIS);
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException silence) {
                        return new Exchange(GoldenCase.latin1(received.toByteArray()), false);
                    } catch (IOException reset) {
                        return new Exchange(GoldenCase.latin1(received.toByteArray()), true);
                    }
                    if (n < 0) {
                        return new Exchange(GoldenCase.latin1(received.toByteArray()), true);
                    }
                    received.write(buffer, 0, n);
                }
            }
        }
    }
}
