// How the track grader starts a server under test: a participant's command, redis-server, or a test's own.
package io.port6379.exercises.track;

import java.io.IOException;
import java.util.List;

/**
 * Starts one server listening on a port the grader chose. The grader calls {@link #start} with the
 * arguments redis-server would take — {@code --port 7000}, and for the persistence stage {@code --dir} and
 * {@code --dbfilename} too — so that a participant's server, real Redis and the reference start alike.
 */
@FunctionalInterface
public interface ServerLauncher {

    /** A server started with {@code arguments}; it may have failed to start, which {@link Running#problem} says. */
    Running start(int port, List<String> arguments) throws IOException, InterruptedException;

    /** A started server (or one that failed to start), stopped by {@link #close}. */
    interface Running extends AutoCloseable {

        /** Why the server is not serving: it exited, or never listened; null while it serves. */
        String problem();

        /** The server's last lines of output, for a report; empty when there is none. */
        default String outputTail() {
            return "";
        }

        @Override
        void close();
    }
}
