// One client's connection, run on its own virtual thread: read, decode every complete command, execute, write.
package io.port6379.server;

import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The connection loop. Plain blocking I/O reads top to bottom because the thread is virtual: a blocked read
 * parks the virtual thread, not an OS thread.
 *
 * <p>Pipelining comes for free from the loop's shape: one read may carry many commands; all complete ones are
 * executed under the execution lock, their replies collect in one buffer, and leave in one write.
 */
final class ClientConnection implements Runnable {

    private final RedisServer server;
    private final Socket socket;
    private final Client client;
    private final RequestDecoder decoder = new RequestDecoder();
    private final RespWriter replies = new RespWriter();

    ClientConnection(RedisServer server, Socket socket, Client client) {
        this.server = server;
        this.socket = socket;
        this.client = client;
    }

    // tag::loop[]
    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] readBuffer = new byte[16 * 1024];
            while (!client.isClosing()) {
                int n = in.read(readBuffer);
                if (n < 0) {
                    return; // the client closed the connection
                }
                decoder.feed(readBuffer, 0, n);
                executeCompleteCommands();
                replies.flushTo(out);
            }
        } catch (IOException e) {
            // the client went away mid-read or mid-write: nothing left to do for it
        }
    }

    private void executeCompleteCommands() {
        server.executionLock().lock();
        try {
            byte[][] args;
            while (!client.isClosing() && (args = decoder.next()) != null) {
                server.commands().dispatch(client, args, replies);
            }
        } catch (ProtocolException e) {
            replies.error("ERR " + e.getMessage());
            client.closeAfterReply();
        } finally {
            server.executionLock().unlock();
        }
    }
    // end::loop[]
}
