// Test helper: a server context with the append-only file on, in a temporary directory, driven without sockets.
package io.port6379.server.persistence;

import io.port6379.server.main.Port6379;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code new AofHarness(dir)} loads whatever AOF {@code dir} holds and opens it, as start-up does; {@link #run}
 * executes a command as a client would, then writes the AOF buffer as the end of a batch does. The clock is
 * {@link #now}, so expiry times are exact.
 */
final class AofHarness implements AutoCloseable {

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final Path dir;
    final ServerContext server;
    final Client client;

    AofHarness(Path dir, String... extraConfig) {
        this.dir = dir;
        List<String> arguments = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes"));
        arguments.addAll(List.of(extraConfig));
        try {
            server = Port6379.context(ServerConfig.fromArguments(arguments.toArray(String[]::new)), now::get);
            server.executionLock().lock();
            try {
                StartupLoader.load(server);
            } finally {
                server.executionLock().unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = newClient();
    }

    Client newClient() {
        Client c = Client.detached(server.nextClientId(), server);
        server.register(c);
        return c;
    }

    /** A test step that runs holding the execution lock. */
    interface LockedStep {
        void run() throws Exception;
    }

    /** A test step with a result that runs holding the execution lock. */
    interface LockedQuery<T> {
        T get() throws Exception;
    }

    /** Runs {@code step} holding the execution lock, as if no client could run between its commands. */
    void locked(LockedStep step) throws Exception {
        locked(() -> {
            step.run();
            return null;
        });
    }

    /** {@link #locked(LockedStep)} for a step with a result. */
    <T> T locked(LockedQuery<T> query) throws Exception {
        server.executionLock().lock();
        try {
            return query.get();
        } finally {
            server.executionLock().unlock();
        }
    }

    String run(String... args) {
        return runAs(client, new RespWriter(), args);
    }

    /** Runs one command as {@code as}, its reply into {@code reply}; returns the reply's text (one char per byte). */
    String runAs(Client as, RespWriter reply, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        int start = reply.size();
        server.executionLock().lock();
        try {
            server.execute(as, bytes, reply);
            if (AppendOnlyFile.of(server) != null) {
                AppendOnlyFile.of(server).beforeReplies();
            }
        } finally {
            server.executionLock().unlock();
        }
        byte[] all = reply.toByteArray();
        return new String(all, start, all.length - start, StandardCharsets.ISO_8859_1);
    }

    /** Every key of every database, in the canonical form of {@link Dataset}. */
    Dataset dataset() {
        Dataset data = new Dataset();
        server.executionLock().lock();
        try {
            for (int db = 0; db < server.databases().count(); db++) {
                Keyspace keyspace = server.databases().get(db);
                for (Bytes key : keyspace.keys()) {
                    data.put(db, Dataset.text(key.array()), Dataset.of(keyspace.peek(key), keyspace.expireTime(key)));
                }
            }
        } finally {
            server.executionLock().unlock();
        }
        return data;
    }

    /** BGREWRITEAOF, then waits until the new base is installed. */
    void rewriteAndWait() throws InterruptedException {
        assertEquals("+Background append only file rewriting started\r\n", run("BGREWRITEAOF"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            server.executionLock().lock();
            try {
                if (!AppendOnlyFile.of(server).rewriting()) {
                    return;
                }
            } finally {
                server.executionLock().unlock();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the rewrite did not finish within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** The commands of the incremental file being written, each as its words. */
    List<List<String>> incrCommands() throws IOException {
        AofManifest manifest = AofDirectory.of(server.config()).readManifest();
        return commands(AofDirectory.of(server.config()).path(manifest.incrs().getLast().file()));
    }

    /** Parses a file of RESP commands into words (ISO-8859-1 text). */
    static List<List<String>> commands(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<List<String>> commands = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int end = indexOfCrlf(bytes, i);
            int argc = Integer.parseInt(new String(bytes, i + 1, end - i - 1, StandardCharsets.US_ASCII));
            i = end + 2;
            List<String> words = new ArrayList<>();
            for (int a = 0; a < argc; a++) {
                end = indexOfCrlf(bytes, i);
                int length = Integer.parseInt(new String(bytes, i + 1, end - i - 1, StandardCharsets.US_ASCII));
                words.add(new String(bytes, end + 2, length, StandardCharsets.ISO_8859_1));
                i = end + 2 + length + 2;
            }
            commands.add(words);
        }
        return commands;
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("no CRLF after offset " + from);
    }

    /** Closes the AOF as SHUTDOWN does: what is buffered is written and fsynced. */
    @Override
    public void close() {
        server.executionLock().lock();
        try {
            if (AppendOnlyFile.of(server) != null) {
                AppendOnlyFile.of(server).close();
                server.propagation(null);
            }
        } finally {
            server.executionLock().unlock();
        }
    }
}
