// A replica's link to its master, on a thread of its own: the handshake, the RDB of a full sync, then the stream applied.
package io.port6379.server.replication;

import io.port6379.datastructures.Keyspace;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.ProtocolLimits;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.persistence.StartupLoader;
import io.port6379.server.util.Log;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Redis's {@code connectWithMaster}/{@code syncWithMaster}/{@code readSyncBulkPayload} as blocking code that reads
 * top to bottom, on one thread per link (a platform thread, see {@link #start}):
 *
 * <pre>
 *   replica                                  master
 *   PING                           ------&gt;   +PONG
 *   AUTH [masteruser] masterauth   ------&gt;   +OK            (when masterauth is set)
 *   REPLCONF listening-port &lt;port&gt; ------&gt;   +OK
 *   REPLCONF capa eof capa psync2  ------&gt;   +OK
 *   PSYNC &lt;replid&gt; &lt;offset+1&gt;      ------&gt;   +CONTINUE &lt;replid&gt;        then the missing stream
 *                                            +FULLRESYNC &lt;replid&gt; &lt;offset&gt;, then an RDB, then the stream
 *   REPLCONF ACK &lt;offset&gt;          ------&gt;   (every second, and when the stream says REPLCONF GETACK *)
 * </pre>
 *
 * The stream is applied through the dispatcher as the commands of a special client, the master ({@code flags=M}):
 * its replies are dropped, READONLY does not apply to it, and the bytes of every applied command move the
 * replica's offset, counted exactly as Redis counts them, so an ACK tells the master precisely what was applied.
 * A broken link is retried every second with a PSYNC that continues where the applied stream stopped.
 *
 * <p>The connection is the kernel's {@link ServerContext.Link} (network's {@code Outgoing}), over TLS when
 * {@code tls-replication} is on, from {@code bind-source-addr} when set. This thread alone reads and writes it: a TLS
 * connection must not be read by one thread while another writes (the engine's records and buffers are shared).
 * So the cron and a REPLCONF GETACK only ask for an ACK ({@link #ackSoon}), and the thread sends it between two
 * reads of the stream, which wait at most {@value #POLL_MILLIS} ms each; the GETACK found in the stream itself is
 * answered at once, in the batch that applies it.
 */
final class MasterLink {

    /** Redis's {@code repl_state}, as ROLE names it. */
    enum State {
        CONNECT("connect"), CONNECTING("connecting"), HANDSHAKE("handshake"), TRANSFER("sync"), CONNECTED("connected");

        final String role;

        State(String role) {
            this.role = role;
        }
    }

    private static final int READ_SIZE = 64 * 1024;
    /** How long one read of the stream waits before the thread looks for an ACK to send. */
    static final long POLL_MILLIS = 50;

    private final Replication replication;
    private final ServerContext server;
    final String host;
    final int port;
    private volatile State state = State.CONNECT;
    private volatile boolean cancelled;
    private volatile ServerContext.Link connection;
    private volatile boolean ackWanted;
    private byte[] buffer = new byte[READ_SIZE];
    private int position;
    private int limit;
    private Client master; // the master's client while the stream is applied
    private int masterDb;
    volatile long lastIoMillis = -1;
    volatile long downSinceMillis = -1;
    volatile long transferSize = -1;
    volatile long transferRead;
    private volatile long readOffset; // bytes of stream read since the link came up, applied or not
    private volatile long readBase; // the offset when it came up

    MasterLink(Replication replication, String host, int port) {
        this.replication = replication;
        this.server = replication.server;
        this.host = host;
        this.port = port;
    }

    State state() {
        return state;
    }

    /** INFO's slave_read_repl_offset: the stream read so far, applied or not. */
    long readOffsetSinceSync() {
        return readBase + readOffset;
    }

    void start() {
        // a platform thread: a GETACK's ACK leaves without waiting for a carrier behind the replica's own clients
        Thread.ofPlatform().daemon().name("master-link-" + host + ":" + port).start(this::run);
    }

    /** REPLICAOF elsewhere or NO ONE: the thread stops at its next step, the socket is closed now. Under the lock. */
    void cancel() {
        cancelled = true;
        closeSocket();
        dropMasterClient();
    }

    private void run() {
        while (!cancelled) {
            try {
                connectAndSync();
            } catch (IOException | ProtocolException | RuntimeException e) {
                if (!cancelled) {
                    Log.log("#", "Error condition on socket for SYNC: " + e.getMessage());
                }
            } finally {
                disconnected();
            }
            if (!cancelled) {
                sleepQuietly(1000); // Redis's replicationCron retries the connection once a second
            }
        }
    }

    // tag::handshake[]
    private void connectAndSync() throws IOException, ProtocolException {
        state = State.CONNECTING;
        ackWanted = false;
        String source = server.config().get("bind-source-addr");
        ServerContext.Link c = server.connect(host, port, timeoutMillis(), server.config().flag("tls-replication"),
                source == null || source.isEmpty() ? null : source);
        connection = c;
        if (cancelled) {
            c.close();
            return;
        }
        position = limit = 0;
        Log.log("*", "MASTER <-> REPLICA sync started");
        state = State.HANDSHAKE;
        String pong = send("PING");
        if (pong.startsWith("-") && !pong.startsWith("-NOAUTH") && !pong.startsWith("-NOPERM")
                && !pong.startsWith("-ERR operation not permitted")) {
            throw new IOException("Error reply to PING from master: '" + pong + "'");
        }
        String password = server.config().get("masterauth");
        if (password != null && !password.isEmpty()) {
            String user = server.config().get("masteruser");
            String reply = user == null || user.isEmpty() ? send("AUTH", password) : send("AUTH", user, password);
            if (reply.startsWith("-")) {
                throw new IOException("Unable to AUTH to MASTER: " + reply);
            }
        }
        send("REPLCONF", "listening-port", Long.toString(announcedPort()));
        String announcedIp = server.config().get("replica-announce-ip");
        if (announcedIp != null && !announcedIp.isEmpty()) {
            send("REPLCONF", "ip-address", announcedIp);
        }
        send("REPLCONF", "capa", "eof", "capa", "psync2");
        String[] asked = history();
        String reply = asked.length == 3 ? send("PSYNC", asked[0], asked[1], asked[2]) : send("PSYNC", asked[0], asked[1]);
        failoverAnswered(reply.startsWith("+FULLRESYNC") || reply.startsWith("+CONTINUE"));
        if (reply.startsWith("+FULLRESYNC")) {
            String[] words = reply.split(" ");
            Log.log("*", "Full resync from master: " + words[1] + ":" + words[2]);
            fullSync(words[1], Long.parseLong(words[2]));
        } else if (reply.startsWith("+CONTINUE")) {
            String id = reply.length() > "+CONTINUE".length() ? reply.substring("+CONTINUE".length()).trim() : "";
            Log.log("*", "Successful partial resynchronization with master.");
            continued(id);
        } else {
            throw new IOException("Unexpected reply to PSYNC from master: " + reply);
        }
        applyStream();
    }
    // end::handshake[]

    /** Redis's listening-port: replica-announce-port, else the port we listen on. */
    private long announcedPort() {
        long announced = server.config().number("replica-announce-port");
        return announced != 0 ? announced : server.config().port();
    }

    /** What PSYNC offers: our history's id and the first byte we lack (our own id and offset on a former master). */
    private String[] history() {
        server.executionLock().lock();
        try {
            if (!replication.historyKnown) {
                return new String[] {"?", "-1"}; // started as a replica: no history to continue
            }
            String id = replication.replid;
            String next = Long.toString(replication.offset() + 1);
            // a master handing over with FAILOVER tells the replica to promote itself first
            return replication.failover.inProgress() ? new String[] {id, next, "FAILOVER"} : new String[] {id, next};
        } finally {
            server.executionLock().unlock();
        }
    }

    private void failoverAnswered(boolean accepted) {
        server.executionLock().lock();
        try {
            replication.failover.psyncAnswered(accepted);
        } finally {
            server.executionLock().unlock();
        }
    }

    // tag::full-sync[]
    /**
     * +FULLRESYNC: the RDB arrives as {@code $<length>} or {@code $EOF:<mark>} (preceded by newlines while the
     * master prepares it). As Redis's readSyncBulkPayload: without diskless load it is written to
     * {@code temp-<time>.<pid>.rdb} in {@code dir}, renamed to {@code dbfilename}, and loaded from there; with it, it
     * is parsed from the socket as it arrives. Either way no copy of the payload stays on the heap, only the keys
     * it holds. The parse runs without the lock: for {@code swapdb} the old data stays in place until the new is
     * complete (and stays for good when the transfer fails), otherwise the old data is flushed first and clients
     * are answered -LOADING until the new is in.
     */
    private void fullSync(String id, long offset) throws IOException {
        state = State.TRANSFER;
        transferRead = 0;
        String header;
        do {
            header = readLine();
        } while (header.isEmpty());
        if (header.startsWith("-")) {
            throw new IOException("MASTER aborted replication with an error: " + header.substring(1));
        }
        if (!header.startsWith("$")) {
            throw new IOException("Bad protocol from MASTER, the first byte is not '$' (we received '" + header
                    + "'), are you sure the host and port are right?");
        }
        byte[] mark = header.startsWith("$EOF:") ? header.substring(5).getBytes(StandardCharsets.ISO_8859_1) : null;
        transferSize = mark == null ? Long.parseLong(header.substring(1)) : 0;
        boolean diskless = useDisklessLoad();
        Log.log("*", "MASTER <-> REPLICA sync: receiving " + (mark == null ? transferSize + " bytes" : "streamed RDB")
                + " from master to " + (diskless ? "parser" : "disk"));
        Transfer transfer = new Transfer(mark);
        Path file = RdbSaver.file(server.config());
        if (!diskless) {
            receiveToDisk(transfer, file);
        }
        // tag::load-mode[]
        boolean swap = diskless && server.config().get("repl-diskless-load").equals("swapdb");
        boolean async = swap && id.equals(currentReplid());
        RdbSaver saver = RdbSaver.of(server);
        server.executionLock().lock();
        try {
            if (cancelled) {
                return;
            }
            if (!swap) {
                emptyForSync();
                server.databases().flushAll();
            }
            saver.loading(async ? RdbSaver.Loading.ASYNC : RdbSaver.Loading.SYNC,
                    diskless ? transferSize : Files.size(file));
        } finally {
            server.executionLock().unlock();
        }
        // end::load-mode[]
        Log.log("*", "MASTER <-> REPLICA sync: Loading DB in memory");
        StartupLoader.Transferred transferred;
        try (InputStream rdb = diskless ? transfer : new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            transferred = StartupLoader.readTransferred(server, rdb);
            if (diskless && mark != null && !transfer.endsAtMark()) {
                Log.log("#", "Replication stream EOF marker is broken");
                throw new IOException("Replication stream EOF marker is broken");
            }
        } catch (IOException | RuntimeException e) {
            saver.loadingEnded();
            Log.log("#", "Failed trying to load the MASTER synchronization DB from " + (diskless ? "socket" : "disk")
                    + ", check server logs.");
            if (swap) {
                Log.log("*", "MASTER <-> REPLICA sync: Discarding temporary DB in background");
            }
            throw e;
        }
        server.executionLock().lock();
        try {
            saver.loadingEnded();
            if (cancelled) {
                return;
            }
            if (swap) {
                Log.log("*", "MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
                swappedForSync();
            }
            transferred.install(server);
            if (swap) {
                Log.log("*", "MASTER <-> REPLICA sync: Discarding old DB in background");
            }
            replication.adoptedHistory(id, offset);
            masterDb = transferred.streamDb();
            connected();
            if (mark != null) {
                sendAck(replication.offset()); // a diskless master puts us online when it hears from us
            }
        } finally {
            server.executionLock().unlock();
        }
        if (!diskless && server.config().flag("rdb-del-sync-files") && persistenceDisabled()) {
            Log.log("*", "Removing the RDB file obtained from the master. This replica has persistence disabled");
            Files.deleteIfExists(file);
        }
        Log.log("*", "MASTER <-> REPLICA sync: Finished with success");
    }
    // end::full-sync[]

    /**
     * The payload into {@code temp-<unix time>.<pid>.rdb} beside {@code dbfilename}, then renamed over it, as Redis
     * does whether or not persistence is on; a transfer that breaks leaves no temp file behind.
     */
    private void receiveToDisk(Transfer transfer, Path file) throws IOException {
        Path temp = file.resolveSibling("temp-" + System.currentTimeMillis() / 1000 + "." + ProcessHandle.current().pid()
                + ".rdb");
        try {
            try (OutputStream disk = Files.newOutputStream(temp)) {
                transfer.transferTo(disk);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Redis's useDisklessLoad: {@code swapdb} always, {@code on-empty-db} when no database holds a key. */
    private boolean useDisklessLoad() {
        String load = server.config().get("repl-diskless-load");
        if (load.equals("swapdb")) {
            return true;
        }
        if (!load.equals("on-empty-db")) {
            return false;
        }
        server.executionLock().lock();
        try {
            return server.databases().totalKeys() == 0;
        } finally {
            server.executionLock().unlock();
        }
    }

    /**
     * Our replication id: when the master's +FULLRESYNC names the same one, the old data is an earlier point of the
     * same data set, and swapdb loads asynchronously (Redis compares server.replid with server.master_replid).
     */
    private String currentReplid() {
        server.executionLock().lock();
        try {
            return replication.replid;
        } finally {
            server.executionLock().unlock();
        }
    }

    /**
     * Redis's emptyData before loading the master's data: WATCHed keys that exist are modified (their EXEC fails),
     * client-side caches are invalidated, and with {@code replica-lazy-flush} the old keys count as freed lazily, as
     * FLUSHALL ASYNC counts them. Under the lock.
     */
    private void emptyForSync() {
        Log.log("*", "MASTER <-> REPLICA sync: Flushing old data");
        for (int db = 0; db < server.databases().count(); db++) {
            server.transactions().flushed(server, db);
        }
        if (server.tracking() != null) {
            server.tracking().flushedAll();
        }
        long keys = server.databases().totalKeys();
        if (server.config().flag("replica-lazy-flush") && keys > 0) {
            server.lazyFree().emptied(keys);
        }
    }

    /**
     * Redis's swapMainDbWithTempDb then discardTempDb: WATCHed keys are touched, client-side caches invalidated,
     * and the old data set is freed in the background (it counts as freed lazily). Under the lock.
     */
    private void swappedForSync() {
        for (int db = 0; db < server.databases().count(); db++) {
            server.transactions().flushed(server, db);
        }
        if (server.tracking() != null) {
            server.tracking().flushedAll();
        }
        long keys = server.databases().totalKeys();
        if (keys > 0) {
            server.lazyFree().emptied(keys);
        }
    }

    /** Redis's allPersistenceDisabled: no save points and no append-only file. */
    private boolean persistenceDisabled() {
        return server.config().get("save").isEmpty() && !server.config().flag("appendonly");
    }

    /**
     * The RDB of a full sync as it comes off the socket, through the link's own buffer: {@code transferSize} bytes,
     * or with {@code $EOF:<mark>} the bytes before the 40-byte mark. The last {@code mark.length} bytes received are
     * held back, since they may be the mark; the payload ends when they are the mark and nothing follows them in
     * the read that brought them (a diskless master sends nothing more until we ACK).
     */
    private final class Transfer extends InputStream {
        private final byte[] mark;
        private final byte[] held;
        private int heldUsed;
        private long left = transferSize;

        Transfer(byte[] mark) {
            this.mark = mark;
            this.held = new byte[mark == null ? 0 : mark.length];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (mark == null) {
                if (left == 0) {
                    return -1;
                }
                fillIfEmpty();
                int n = (int) Math.min(Math.min(len, left), limit - position);
                System.arraycopy(buffer, position, into, off, n);
                position += n;
                left -= n;
                transferRead += n;
                return n;
            }
            while (true) {
                if (position == limit && endsAtMark()) {
                    return -1;
                }
                fillIfEmpty();
                int arrived = limit - position;
                int give = Math.min(len, heldUsed + arrived - mark.length);
                if (give <= 0) { // not more than a mark's length in hand: hold it all and read on
                    System.arraycopy(buffer, position, held, heldUsed, arrived);
                    heldUsed += arrived;
                    position = limit;
                    transferRead += arrived;
                    continue;
                }
                int fromHeld = Math.min(give, heldUsed);
                System.arraycopy(held, 0, into, off, fromHeld);
                System.arraycopy(held, fromHeld, held, 0, heldUsed - fromHeld);
                heldUsed -= fromHeld;
                int fromBuffer = give - fromHeld;
                System.arraycopy(buffer, position, into, off + fromHeld, fromBuffer);
                position += fromBuffer;
                transferRead += fromBuffer;
                int keep = Math.min(limit - position, mark.length - heldUsed); // the rest of the held-back tail
                int skip = limit - position - keep;
                if (skip > 0) { // more than a mark's length still in the buffer: the reader gets it next time
                    return give;
                }
                System.arraycopy(buffer, position, held, heldUsed, keep);
                heldUsed += keep;
                position += keep;
                transferRead += keep;
                return give;
            }
        }

        /** With {@code $EOF:}, whether the bytes held back are the mark: after the parse, the payload's proper end. */
        boolean endsAtMark() {
            int rest = limit - position;
            if (rest > 0 && heldUsed + rest <= mark.length) {
                System.arraycopy(buffer, position, held, heldUsed, rest);
                heldUsed += rest;
                position = limit;
                transferRead += rest;
            }
            return heldUsed == mark.length && Arrays.equals(held, mark);
        }

        private void fillIfEmpty() throws IOException {
            if (position == limit && fill() < 0) {
                throw new IOException("the master closed the connection during the transfer");
            }
        }
    }

    /** +CONTINUE [id]: the same data, the stream resumes; a new id means our master was promoted meanwhile. */
    private void continued(String id) {
        server.executionLock().lock();
        try {
            if (!id.isEmpty()) {
                replication.historyRenamed(id);
            }
            connected();
        } finally {
            server.executionLock().unlock();
        }
    }

    /** The master's client appears (CLIENT LIST flags=M), the link is up. Under the lock. */
    private void connected() {
        InetSocketAddress address = connection.localAddress();
        String local = address == null ? "" : address.getAddress().getHostAddress() + ":" + address.getPort();
        Client client = new Client(server.nextClientId(), server, new Client.Channel() {
            @Override
            public void push(byte[] frame) {
            }

            @Override
            public void close() {
                closeSocket(); // CLIENT KILL TYPE master: the link breaks and is tried again
            }
        }, host + ":" + port, local);
        client.markMaster();
        client.authenticated(true);
        client.select(masterDb);
        server.register(client);
        master = client;
        readBase = replication.offset();
        readOffset = 0;
        state = State.CONNECTED;
        lastIoMillis = server.clock().millis();
    }

    /** The database the master's stream is in now: what a sub-replica's RDB must name ({@code repl-stream-db}). */
    int streamDb() {
        Client client = master;
        return client != null ? client.dbIndex() : masterDb;
    }

    // tag::apply[]
    /** Reads the stream and applies each complete command under the lock, counting its bytes into the offset. */
    private void applyStream() throws IOException, ProtocolException {
        RequestDecoder decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(Long.MAX_VALUE / 2));
        RespWriter dropped = new RespWriter();
        byte[] window = new byte[READ_SIZE]; // bytes read and not yet proxied to our backlog
        int windowUsed = 0;
        while (!cancelled) {
            byte[] chunk;
            if (position < limit) { // what came with the RDB or the +CONTINUE line
                chunk = Arrays.copyOfRange(buffer, position, limit);
                position = limit;
            } else {
                chunk = new byte[READ_SIZE];
                int n = poll(chunk);
                if (n == 0) {
                    continue;
                }
                chunk = n == chunk.length ? chunk : Arrays.copyOf(chunk, n);
            }
            readOffset += chunk.length;
            lastIoMillis = server.clock().millis();
            decoder.feed(chunk, 0, chunk.length);
            if (windowUsed + chunk.length > window.length) {
                window = Arrays.copyOf(window, Math.max(window.length * 2, windowUsed + chunk.length));
            }
            System.arraycopy(chunk, 0, window, windowUsed, chunk.length);
            windowUsed += chunk.length;
            server.executionLock().lock();
            try {
                if (cancelled) {
                    return;
                }
                int applied = 0; // bytes of the window applied in this round
                byte[][] args;
                server.databases().expiredKeys(Keyspace.ExpiredKeys.KEEP); // the master's commands see its keys
                try {
                    while ((args = decoder.next()) != null) {
                        if (isGetAck(args)) {
                            sendAck(replication.offset + applied); // the offset before this command, as Redis's reploff
                        } else {
                            server.execute(master, args, dropped);
                            if (dropped.size() > 0 && dropped.toByteArray()[0] == '-') {
                                errorReplied(args, dropped);
                            }
                            dropped.clear();
                        }
                        applied = windowUsed - decoder.pending();
                    }
                } finally {
                    server.databases().expiredKeys(Keyspace.ExpiredKeys.HIDE);
                }
                if (applied > 0) {
                    replication.applied(window, 0, applied);
                    System.arraycopy(window, applied, window, 0, windowUsed - applied);
                    windowUsed -= applied;
                }
                if (server.propagation() != null) {
                    server.propagation().beforeReplies(); // our append-only file, and our own replicas
                }
            } finally {
                server.executionLock().unlock();
            }
        }
    }
    // end::apply[]

    /**
     * A command of the master's stream failed here (Redis's afterErrorReply for the master client): logged as
     * critical, since the two data sets now differ, and with {@code propagation-error-behavior} panic or
     * panic-on-replicas, on a read-only replica, the server stops as Redis's serverPanic stops it. A MISCONF is
     * persistence's panic for a command it could not write to disk: the server is already stopping.
     */
    private void errorReplied(byte[][] args, io.port6379.protocol.RespWriter reply) {
        String error = new String(reply.toByteArray(), StandardCharsets.UTF_8).strip().substring(1);
        if (error.startsWith("MISCONF")) {
            cancelled = true; // persistence panicked (replica-ignore-disk-write-errors no): nothing more is applied
            return;
        }
        String name = new String(args[0], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        Log.log("#", "== CRITICAL == This replica is sending an error to its master: '" + error
                + "' after processing the command '" + name + "'");
        replication.unexpectedErrorReplies++;
        String behavior = server.config().get("propagation-error-behavior");
        if (!behavior.equals("ignore") && server.config().flag("replica-read-only")) {
            Log.log("#", "Guru Meditation: This replica panicked sending an error to its master after processing the "
                    + "command '" + name + "'");
            cancelled = true;
            Thread.ofVirtual().name("panic").start(() -> server.requestShutdown(false));
        }
    }

    private static boolean isGetAck(byte[][] args) {
        return args.length == 3 && new String(args[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase("replconf")
                && new String(args[1], StandardCharsets.ISO_8859_1).equalsIgnoreCase("getack");
    }

    /**
     * One read of the stream, of at most {@value #POLL_MILLIS} ms: the number of bytes read, or 0 when none came, after
     * which an ACK asked for meanwhile is sent. Silence for {@code repl-timeout} breaks the link, as Redis's
     * replicationCron does ("MASTER timeout").
     */
    private int poll(byte[] into) throws IOException {
        sendWantedAck();
        try {
            int n = connection().read(ByteBuffer.wrap(into), POLL_MILLIS);
            if (n < 0) {
                throw new IOException("the master closed the connection");
            }
            return n;
        } catch (SocketTimeoutException idle) {
            if (server.clock().millis() - lastIoMillis > timeoutMillis()) {
                throw new SocketTimeoutException("MASTER timeout: no data nor PING received...");
            }
            sendWantedAck();
            return 0;
        }
    }

    private void sendWantedAck() {
        if (!ackWanted) {
            return;
        }
        ackWanted = false;
        server.executionLock().lock();
        try {
            if (state == State.CONNECTED && !cancelled) {
                sendAck(replication.offset());
            }
        } finally {
            server.executionLock().unlock();
        }
    }

    /** REPLCONF ACK with what was applied, sent by the link's thread at its next poll: every second from the cron. */
    void ackSoon() {
        ackWanted = true;
    }

    /** Sends REPLCONF ACK now: on the link's thread only (see the class comment). */
    private void sendAck(long offset) {
        try {
            write(command("REPLCONF", "ACK", Long.toString(offset)));
        } catch (IOException e) {
            closeSocket(); // the reading thread notices and reconnects
        }
    }

    private void disconnected() {
        closeSocket();
        server.executionLock().lock();
        try {
            if (state == State.CONNECTED) {
                downSinceMillis = server.clock().millis();
                Log.log("#", "Connection with master lost.");
            }
            dropMasterClient();
            state = State.CONNECT;
            transferSize = -1;
        } finally {
            server.executionLock().unlock();
        }
    }

    private void dropMasterClient() {
        if (master != null) {
            masterDb = master.dbIndex(); // a partial resync continues in the database the stream was in
            Client gone = master;
            master = null;
            server.unregister(gone);
        }
    }

    private void closeSocket() {
        ServerContext.Link c = connection;
        if (c != null) {
            c.close();
        }
    }

    private ServerContext.Link connection() throws IOException {
        ServerContext.Link c = connection;
        if (c == null) {
            throw new IOException("not connected");
        }
        return c;
    }

    private long timeoutMillis() {
        return server.config().number("repl-timeout") * 1000;
    }

    // ---- the handshake's lines ---------------------------------------------------------------------------------

    private String send(String... words) throws IOException {
        write(command(words));
        return readReply();
    }

    private void write(byte[] bytes) throws IOException {
        connection().write(ByteBuffer.wrap(bytes), timeoutMillis());
    }

    private static byte[] command(String... words) {
        StringBuilder text = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            text.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A reply line, skipping the newlines a master sends to keep a waiting replica's link alive. */
    private String readReply() throws IOException {
        String line;
        do {
            line = readLine();
        } while (line.isEmpty());
        return line;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position == limit && fill() < 0) {
                throw new IOException("the master closed the connection");
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private int fill() throws IOException {
        int n = connection().read(ByteBuffer.wrap(buffer), timeoutMillis());
        position = 0;
        limit = Math.max(0, n);
        if (n > 0) {
            lastIoMillis = server.clock().millis();
        }
        return n;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
