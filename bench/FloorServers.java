// "Floor servers" for chapter 15: servers that do the least a Redis-compatible server can do — decode every request
// with the real RequestDecoder and answer it with a fixed reply — so that bench/floor can measure how fast an I/O
// model can possibly be on this machine, apart from the cost of running commands. Run by bench/floor.
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Three I/O models with no keyspace behind them:
 *
 * <ul>
 *   <li>{@code vthread}: one virtual thread per connection, the loop of our ClientConnection (read up to 16 KB,
 *       decode every complete command, collect the replies in one RespWriter, one write), with a global lock held
 *       around each batch as the server holds its execution lock;</li>
 *   <li>{@code vthread-nolock}: the same without the lock;</li>
 *   <li>{@code eventloop}: one platform thread and a {@link Selector}, the shape of Redis's ae event loop.</li>
 * </ul>
 *
 * <pre>java @server/jvm.options -cp protocol/target/classes bench/FloorServers.java vthread 7000</pre>
 *
 * <p>Whatever a real server does on top of this (look keys up, allocate values, keep statistics) can only make
 * it slower, so the throughput of a floor server is the ceiling of its I/O model.
 */
public final class FloorServers {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FloorServers vthread|vthread-nolock|eventloop <port>");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
        switch (args[0]) {
            case "vthread" -> new VirtualThreadPerConnection(new ReentrantLock()).serve(address);
            case "vthread-nolock" -> new VirtualThreadPerConnection(null).serve(address);
            case "eventloop" -> new EventLoop().serve(address);
            default -> throw new IllegalArgumentException("unknown variant: " + args[0]);
        }
    }

    /** A fixed, valid reply for each command redis-benchmark sends; no data behind it. */
    static final class FixedReplies {

        private static final byte[] VALUE = "xxx".getBytes(StandardCharsets.US_ASCII); // redis-benchmark's -d 3 value
        private static final byte[] SCORE = "1".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] EMPTY = new byte[0];

        static void reply(byte[][] args, RespWriter out) {
            byte[] name = args[0];
            if (is(name, "GET") || is(name, "LPOP") || is(name, "RPOP") || is(name, "SPOP")) {
                out.bulkString(VALUE);
            } else if (is(name, "INCR") || is(name, "LPUSH") || is(name, "RPUSH") || is(name, "SADD")
                    || is(name, "HSET") || is(name, "ZADD")) {
                out.integer(1);
            } else if (is(name, "ZPOPMIN")) {
                out.arrayHeader(2).bulkString(VALUE).bulkString(SCORE);
            } else if (is(name, "LRANGE")) {
                out.arrayHeader(100);
                for (int i = 0; i < 100; i++) {
                    out.bulkString(VALUE);
                }
            } else if (is(name, "PING")) {
                out.simpleString("PONG");
            } else if (is(name, "CONFIG") && args.length == 3) {
                // redis-benchmark asks CONFIG GET save and appendonly at start, and warns unless it gets a pair
                out.arrayHeader(2).bulkString(args[2]).bulkString(EMPTY);
            } else {
                out.simpleString("OK"); // SET, MSET, and anything else
            }
        }

        /** ASCII case-insensitive comparison without allocating, as a command table lookup would be. */
        private static boolean is(byte[] name, String command) {
            if (name.length != command.length()) {
                return false;
            }
            for (int i = 0; i < name.length; i++) {
                if ((name[i] & ~0x20) != command.charAt(i)) { // clears the lower-case bit of a letter
                    return false;
                }
            }
            return true;
        }
    }

    /** One virtual thread per connection, blocking socket I/O: the model of our server. */
    static final class VirtualThreadPerConnection {

        private final ReentrantLock executionLock; // null: no lock

        VirtualThreadPerConnection(ReentrantLock executionLock) {
            this.executionLock = executionLock;
        }

        void serve(InetSocketAddress address) throws IOException {
            try (ServerSocket listener = new ServerSocket()) {
                listener.bind(address, 511);
                while (true) {
                    Socket socket = listener.accept();
                    Thread.ofVirtual().start(() -> connection(socket));
                }
            }
        }

        // tag::vthread[]
        private void connection(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                RequestDecoder decoder = new RequestDecoder();
                RespWriter replies = new RespWriter();
                byte[] readBuffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(readBuffer)) >= 0) { // parks the virtual thread until bytes arrive
                    decoder.feed(readBuffer, 0, n);
                    if (executionLock != null) {
                        executionLock.lock();
                    }
                    try {
                        byte[][] args;
                        while ((args = decoder.next()) != null) {
                            FixedReplies.reply(args, replies);
                        }
                    } finally {
                        if (executionLock != null) {
                            executionLock.unlock();
                        }
                    }
                    replies.flushTo(out); // one write for the whole batch, outside the lock
                    Thread.yield(); // let the other ready clients run before reading again, as ClientConnection does
                }
            } catch (IOException | ProtocolException e) {
                // the client went away, or sent something that is not RESP: drop the connection
            }
        }
        // end::vthread[]
    }

    /** One platform thread multiplexing every connection with a selector (epoll on Linux), as Redis's ae does. */
    static final class EventLoop {

        /** A connection's state, kept between events since no thread holds it on its stack. */
        private static final class Connection {
            final SocketChannel channel;
            final RequestDecoder decoder = new RequestDecoder();
            final RespWriter replies = new RespWriter();
            final ChannelOutput output;

            Connection(SocketChannel channel) {
                this.channel = channel;
                this.output = new ChannelOutput(channel);
            }
        }

        /** Where RespWriter flushes to: writes what the socket takes now and keeps the rest for OP_WRITE. */
        private static final class ChannelOutput extends OutputStream {
            private final SocketChannel channel;
            ByteBuffer unwritten; // null when everything was written

            ChannelOutput(SocketChannel channel) {
                this.channel = channel;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                channel.write(buffer);
                if (buffer.hasRemaining()) { // the send buffer is full: copy the rest, RespWriter reuses its array
                    unwritten = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        }

        void serve(InetSocketAddress address) throws IOException {
            try (Selector selector = Selector.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(address, 511).configureBlocking(false);
                listener.register(selector, SelectionKey.OP_ACCEPT);
                // One read buffer for all connections: every complete request is decoded before the next read.
                ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
                // tag::eventloop[]
                while (true) {
                    selector.select(); // epoll_wait: sleeps until some socket is ready
                    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                    while (ready.hasNext()) {
                        SelectionKey key = ready.next();
                        ready.remove();
                        try {
                            if (key.isAcceptable()) {
                                accept(listener, selector);
                            } else if (key.isWritable()) {
                                finishWrite(key);
                            } else if (key.isReadable()) {
                                Connection connection = (Connection) key.attachment();
                                int n = connection.channel.read(readBuffer.clear()); // never blocks: data is there
                                if (n < 0) {
                                    close(key);
                                    continue;
                                }
                                connection.decoder.feed(readBuffer.array(), 0, n);
                                byte[][] args;
                                while ((args = connection.decoder.next()) != null) {
                                    FixedReplies.reply(args, connection.replies);
                                }
                                connection.replies.flushTo(connection.output);
                                if (connection.output.unwritten != null) { // stop reading until the rest is out
                                    key.interestOps(SelectionKey.OP_WRITE);
                                }
                            }
                        } catch (IOException | ProtocolException e) {
                            close(key);
                        }
                    }
                }
                // end::eventloop[]
            }
        }

        private static void accept(ServerSocketChannel listener, Selector selector) throws IOException {
            SocketChannel channel = listener.accept();
            if (channel != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
            }
        }

        private static void finishWrite(SelectionKey key) throws IOException {
            Connection connection = (Connection) key.attachment();
            ByteBuffer unwritten = connection.output.unwritten;
            connection.channel.write(unwritten);
            if (!unwritten.hasRemaining()) {
                connection.output.unwritten = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private static void close(SelectionKey key) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
