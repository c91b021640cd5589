// What one behaviour's check is given: connections to the server under test, fresh key names, a pause.
package io.port6379.exercises.track;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The context of one check. Everything it opens is closed when the check ends, so that a server that serves
 * one client at a time (stage 02's) is not held up by a connection an earlier check forgot.
 */
public final class Check implements AutoCloseable {

    private static final AtomicLong NAMES = new AtomicLong();

    private final int port;
    private final int timeoutMillis;
    private final ServerLauncher launcher;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> expectedErrors = new CopyOnWriteArrayList<>();

    Check(int port, int timeoutMillis, ServerLauncher launcher) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.launcher = launcher;
    }

    /** A new connection to the server under test. */
    public Probe connect() throws IOException {
        return connect(port);
    }

    private Probe connect(int to) throws IOException {
        Probe probe = new Probe(to, timeoutMillis, expectedErrors);
        opened.add(probe);
        return probe;
    }

    /** The error replies this check expected, without '-' and CRLF: a stage's text must quote each one. */
    public List<String> expectedErrors() {
        return List.copyOf(expectedErrors);
    }

    /**
     * A key name no other check uses, e.g. {@code fruit:17}: the checks of every stage share one server, which
     * may have no FLUSHALL yet.
     */
    public String key(String name) {
        return name + ":" + NAMES.incrementAndGet();
    }

    /** Waits: for an expiry to pass, or for the server to have taken a command a check cannot see it take. */
    public void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** A connection to a second server, started with {@code arguments} (and a port), stopped after the check. */
    public Probe connectToAnotherServer(List<String> arguments) throws IOException, InterruptedException {
        int other = TrackRun.freePort();
        ServerLauncher.Running server = launcher.start(other, arguments);
        opened.add(server);
        if (server.problem() != null) {
            throw new AssertionError(server.problem() + "\n" + server.outputTail());
        }
        return connect(other);
    }

    /** A listening socket on a free port of 127.0.0.1, closed when the check ends: the grader as a master. */
    public ServerSocket listen() throws IOException {
        ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        opened.add(listener);
        return listener;
    }

    /** The next connection to {@code listener}, waiting up to {@code millis}: a replica connecting to its master. */
    public Probe accept(ServerSocket listener, int millis) throws IOException {
        listener.setSoTimeout(millis);
        Socket socket;
        try {
            socket = listener.accept();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing connected to the master at port " + listener.getLocalPort() + " within "
                    + millis + " ms");
        }
        Probe probe = new Probe(socket, timeoutMillis, expectedErrors);
        opened.add(probe);
        return probe;
    }

    /** How long a probe waits for a reply. */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** An empty directory, deleted with what is in it when the check ends (after the servers it started stop). */
    public Path temporaryDirectory() throws IOException {
        Path directory = Files.createTempDirectory("track-check");
        opened.add(() -> TrackRun.deleteTree(directory));
        return directory;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // a connection the server already closed: nothing to release
            }
        }
    }
}
