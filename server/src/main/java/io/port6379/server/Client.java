// The server's view of one connected client: its identity and the per-connection state commands may change.
package io.port6379.server;

/** Per-connection state. Only the connection's own thread and, under the execution lock, commands touch it. */
public final class Client {

    private final long id;
    private boolean closeAfterReply;

    public Client(long id) {
        this.id = id;
    }

    public long id() {
        return id;
    }

    /** Asks the connection to close once the current reply has been written (QUIT, protocol errors). */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean isClosing() {
        return closeAfterReply;
    }
}
