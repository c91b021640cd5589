// A server's replication state, master and replica side: the history's ids and offset, the backlog, the replicas, the link.
package io.port6379.server.replication;

import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.BlockingKeys;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;
import io.port6379.server.config.OutputBufferLimit;
import io.port6379.server.persistence.PropagationFeed;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.util.Log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Redis's replication names a data set's history by a random id ({@code master_replid}) and counts the bytes of its
 * replication stream ({@code master_repl_offset}). Two servers with the same id and offset hold the same data. So a
 * replica that lost its link asks {@code PSYNC <id> <offset+1>}, and the master continues from its backlog when it
 * still holds that byte ({@code +CONTINUE}); otherwise it sends everything again ({@code +FULLRESYNC}, an RDB, then
 * the stream).
 *
 * <p><b>Two ids (PSYNC2).</b> A replica promoted to master starts a new history but remembers the old id as
 * {@code master_replid2}, valid up to {@code second_repl_offset}: its former siblings, who ask with the old id and an
 * offset within that range, continue with a partial resync instead of a full one.
 *
 * <p><b>Roles.</b> As master, the commands the {@link PropagationFeed} hands to the {@link ReplicationStream} go to
 * the backlog and to every {@link ReplicaLink}. As replica, a {@link MasterLink} applies the master's stream and
 * proxies exactly the bytes it applied to its own backlog and replicas, so offsets agree along a chain.
 *
 * <p>Thread-safety: everything runs under the execution lock (the master link takes it to apply a batch).
 */
public final class Replication implements Concerns.Replication {

    static final String NO_ID = "0000000000000000000000000000000000000000";
    private static final Slot<Replication> SLOT = Slot.named("replication");
    /** What REPLCONF says of a connection before its SYNC or PSYNC turns it into a replica. */
    static final Slot<ReplicaLink> LINK = Slot.named("replica-link");
    /** Redis's {@code c->woff}: the offset of the stream right after the client's last write, what WAIT waits for. */
    static final Slot<long[]> WRITE_OFFSET = Slot.named("write-offset", () -> new long[1]);

    final ServerContext server;
    final ReplicationStream stream = new ReplicationStream(this);
    private final Condition acknowledged;
    String replid = randomId();
    String replid2 = NO_ID;
    long secondReplOffset = -1;
    long offset; // master_repl_offset
    ReplicationBacklog backlog;
    final List<ReplicaLink> replicas = new ArrayList<>();
    private long noReplicasSinceMillis;
    /** The replica side: the master's address and the link to it, null while this server is a master. */
    String masterHost;
    int masterPort;
    MasterLink link;
    FullSync fullSync; // the full sync whose RDB is being made, or null
    final Failover failover = new Failover(this);
    long syncFull;
    long syncPartialOk;
    long syncPartialErr;
    long unexpectedErrorReplies; // INFO's unexpected_error_replies: commands of our master's stream that failed here
    private boolean shutdownWaiting;
    private boolean shutdownAborted;
    private long waitingSinceMillis = -1; // the first replica waiting for a diskless sync
    /** Redis's RDBGeneratedByReplication: a full sync saved dbfilename while rdb-del-sync-files was on. */
    boolean rdbGeneratedByReplication;
    private long getAckSentAt = -1; // the stream's offset after the last REPLCONF GETACK sent
    /** The clients blocked in WAIT, oldest first (Redis's {@code clients_waiting_acks}). */
    private final List<Waiting> waiting = new ArrayList<>();

    /** A client blocked in WAIT: it waits for {@code wanted} replicas to acknowledge the stream up to {@code target}. */
    private record Waiting(BlockingKeys.Pending pending, long target, long wanted) {
    }
    private long lastCronSecond;
    private long secondsRun;

    private Replication(ServerContext server) {
        this.server = server;
        this.acknowledged = server.executionLock().newCondition();
        this.noReplicasSinceMillis = server.clock().millis();
    }

    /** Plugs replication into a server: its checks in the dispatcher, its cron, and {@code replicaof} at start-up. */
    public static Replication install(ServerContext server) {
        Replication replication = new Replication(server);
        server.set(SLOT, replication);
        server.replication(replication);
        server.addCronTask(replication::cron);
        server.addShutdownTask(replication::stopLink);
        return replication;
    }

    /**
     * At shutdown: the link to our master stops for good. Its thread would otherwise outlive the server (a process
     * ends, but a server embedded in another program does not), reconnect a second later, and sync again from a
     * master that now counts a replica that no longer exists: or from whatever server took that port since.
     */
    private void stopLink() {
        server.executionLock().lock();
        try {
            if (link != null) {
                link.cancel();
                link = null;
            }
        } finally {
            server.executionLock().unlock();
        }
    }

    /** False from a start with replicaof in the configuration to the first full sync: PSYNC asks with {@code ? -1}. */
    boolean historyKnown = true;

    public static Replication of(ServerContext server) {
        return server.get(SLOT);
    }

    /**
     * {@code replicaof host port} in the configuration: connect once the server listens. Such a replica holds no
     * history of its own yet, so its first PSYNC is Redis's {@code PSYNC ? -1}, not its own id (which a master
     * turned replica by REPLICAOF offers).
     */
    public void startFromConfig() {
        String replicaof = server.config().get("replicaof");
        if (replicaof == null || replicaof.isBlank()) {
            return;
        }
        String[] words = replicaof.trim().split("\\s+");
        server.executionLock().lock();
        try {
            historyKnown = false;
            replicaOf(words[0], Integer.parseInt(words[1]));
        } finally {
            server.executionLock().unlock();
        }
    }

    /** Redis's shared.loadingerr. */
    static final String LOADING = "LOADING Redis is loading the dataset in memory";

    // tag::refusal[]
    /**
     * Redis's processCommand, in its order: NOREPLICAS for a write while fewer than {@code min-replicas-to-write}
     * replicas acknowledged within {@code min-replicas-max-lag} seconds; READONLY for a write sent to a read-only
     * replica by anyone but its master; MASTERDOWN for most commands while the link is down and
     * {@code replica-serve-stale-data} is no; LOADING for the commands without the {@code loading} flag while the
     * master's RDB loads synchronously, and for those flagged {@code no-async-loading} while it loads asynchronously.
     */
    @Override
    public String refusal(Client client, Command command) {
        if (client.isMaster()) {
            return null; // the master's stream is obeyed, whatever the replica's settings
        }
        boolean write = command.has(CommandFlag.WRITE)
                || command.name().equals("exec") && server.transactions().queuedWith(client, CommandFlag.WRITE);
        if (write && masterHost == null && !enoughGoodReplicas()) {
            return "NOREPLICAS Not enough good replicas to write.";
        }
        if (masterHost == null) {
            return null;
        }
        if (write && server.config().flag("replica-read-only")) {
            return "READONLY You can't write against a read only replica.";
        }
        boolean exec = command.name().equals("exec"); // judged by what it queued too: mstate.cmd_flags, cmd_inv_flags
        if (!server.config().flag("replica-serve-stale-data")
                && (!command.has(CommandFlag.STALE) || exec && server.transactions().queuedWithout(client, CommandFlag.STALE))
                && (link == null || link.state() != MasterLink.State.CONNECTED)) {
            return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
        }
        RdbSaver.Loading loading = RdbSaver.of(server).loading();
        if (loading == RdbSaver.Loading.SYNC && (!command.has(CommandFlag.LOADING)
                        || exec && server.transactions().queuedWithout(client, CommandFlag.LOADING))
                || loading == RdbSaver.Loading.ASYNC && (command.has(CommandFlag.NO_ASYNC_LOADING)
                        || exec && server.transactions().queuedWith(client, CommandFlag.NO_ASYNC_LOADING))) {
            return LOADING;
        }
        return null;
    }
    // end::refusal[]

    /** Redis's checkGoodReplicasStatus. */
    private boolean enoughGoodReplicas() {
        long needed = server.config().number("min-replicas-to-write");
        long maxLag = server.config().number("min-replicas-max-lag");
        if (needed == 0 || maxLag == 0) {
            return true;
        }
        return goodReplicas(maxLag) >= needed;
    }

    private long goodReplicas(long maxLag) {
        long now = server.clock().millis();
        return replicas.stream().filter(r -> r.state == ReplicaLink.State.ONLINE && (now - r.ackMillis) / 1000 <= maxLag)
                .count();
    }

    // ---- the stream -------------------------------------------------------------------------------------------

    /** Bytes of the stream, from this master's feed or proxied from its own master: backlog first, then replicas. */
    void feedStream(byte[] bytes) {
        if (backlog == null) {
            return;
        }
        backlog.add(bytes, 0, bytes.length);
        offset += bytes.length;
        if (replicas.isEmpty()) {
            return;
        }
        OutputBufferLimit limit = server.config().replicaOutputBufferLimit();
        long now = server.clock().millis();
        replicas.removeIf(replica -> !replica.feed(bytes, limit, now));
    }

    /** master_repl_offset, after what is still encoded in the stream has been counted. */
    public long offset() {
        stream.flush();
        return offset;
    }

    /** Whether replicas or a backlog exist: the feed's sink is plugged in while this master has a backlog. */
    private void updateFeed() {
        PropagationFeed.replication(server, masterHost == null && backlog != null ? stream : null);
    }

    private void createBacklog() {
        backlog = new ReplicationBacklog(backlogSize(), offset);
        updateFeed();
    }

    private int backlogSize() {
        return (int) Math.min(Integer.MAX_VALUE - 8, server.config().number("repl-backlog-size"));
    }

    /** CONFIG SET repl-backlog-size: the ring is resized at once, keeping the newest history that fits. */
    public void backlogSizeChanged() {
        if (backlog != null) {
            stream.flush();
            backlog.resize(backlogSize());
        }
    }

    // ---- the master side: SYNC, PSYNC, REPLCONF, WAIT ---------------------------------------------------------

    // tag::psync[]
    /**
     * SYNC, or PSYNC replid offset: continue from the backlog when the history and the offset allow it, else a full
     * resynchronisation, started now or, for a diskless one, after {@code repl-diskless-sync-delay}.
     */
    public void sync(Client client, byte[][] args) {
        if (client.isReplica()) {
            return; // a replica asking again: ignored, as Redis does
        }
        if (args.length > 3 && new String(args[3], StandardCharsets.ISO_8859_1).equalsIgnoreCase("failover")) {
            if (!new String(args[1], StandardCharsets.ISO_8859_1).equalsIgnoreCase(replid)) {
                throw new RedisException("ERR PSYNC FAILOVER replid must match my replid.");
            }
            promote(); // our master hands its role over: we are the master it will continue from
            Log.log("*", "MASTER MODE enabled (failover request from '" + client.describe(client) + "')");
        }
        if (failingOver()) {
            throw new RedisException("NOMASTERLINK Can't SYNC while failing over");
        }
        if (masterHost != null && (link == null || link.state() != MasterLink.State.CONNECTED)) {
            throw new RedisException("NOMASTERLINK Can't SYNC while not connected with my master");
        }
        stream.flush();
        boolean psync = args.length >= 3;
        ReplicaLink replica = client.peek(LINK);
        if (replica == null) {
            replica = new ReplicaLink(client, server.clock().millis());
            client.set(LINK, replica);
        }
        if (psync) {
            String askedId = new String(args[1], StandardCharsets.ISO_8859_1);
            long from = io.port6379.server.util.Args.parseLong(args[2]);
            if (continuePartially(replica, askedId, from)) {
                syncPartialOk++;
                return;
            }
            if (!askedId.equals("?")) {
                syncPartialErr++;
            }
        }
        syncFull++;
        client.markReplica();
        if (server.config().flag("repl-disable-tcp-nodelay")) {
            client.tcpNoDelay(false); // Redis's syncCommand: fewer, larger packets to this replica, at some latency
        }
        replica.state = ReplicaLink.State.WAIT_BGSAVE_START;
        replica.prePsync = !psync;
        replicas.add(replica);
        Log.log("*", "Replica " + replica.ip() + ":" + replica.listeningPort + " asks for synchronization");
        if (backlog == null) {
            changeReplicationId(); // a backlog from scratch starts a new history: nothing before it can be continued
            replid2 = NO_ID;
            secondReplOffset = -1;
            createBacklog();
            Log.log("*", "Replication backlog created, my new replication IDs are '" + replid + "' and '" + replid2 + "'");
        }
        if (waitingSinceMillis < 0) {
            waitingSinceMillis = server.clock().millis();
        }
        if (!disklessWanted() || server.config().number("repl-diskless-sync-delay") == 0) {
            startFullSyncAfterThisBatch();
        }
    }

    /**
     * PSYNC runs on the replica's own connection thread, where what is pushed to the replica waits for the end of
     * the batch (so it follows the replies before it). The RDB, written by the save's thread, would overtake the
     * +FULLRESYNC and {@code $EOF:} lines then: so the sync starts on a thread of its own, under the execution lock,
     * which the batch holds until its replies are handed over.
     */
    private void startFullSyncAfterThisBatch() {
        Thread.ofVirtual().name("full-sync").start(() -> {
            server.executionLock().lock();
            try {
                startFullSync();
            } finally {
                server.executionLock().unlock();
            }
        });
    }

    // tag::continue-partially[]
    private boolean continuePartially(ReplicaLink replica, String askedId, long from) {
        boolean ourHistory = askedId.equalsIgnoreCase(replid)
                || askedId.equalsIgnoreCase(replid2) && from <= secondReplOffset;
        if (!ourHistory) {
            if (!askedId.equals("?")) {
                Log.log("*", "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '"
                        + askedId + "', my replication IDs are '" + replid + "' and '" + replid2 + "')");
            }
            return false;
        }
        if (backlog == null || !backlog.holds(from)) {
            Log.log("*", "Unable to partial resync with replica " + replica.ip() + ":" + replica.listeningPort
                    + " for lack of backlog (Replica request was: " + from + ").");
            return false;
        }
        replica.client.markReplica();
        replica.state = ReplicaLink.State.ONLINE;
        replica.ackMillis = server.clock().millis();
        replicas.add(replica);
        String reply = replica.capaPsync2 ? "+CONTINUE " + replid + "\r\n" : "+CONTINUE\r\n";
        replica.client.push(reply.getBytes(StandardCharsets.US_ASCII));
        byte[] missing = backlog.copyFrom(from);
        if (missing.length > 0) {
            replica.client.push(missing);
        }
        Log.log("*", "Partial resynchronization request from " + replica.ip() + ":" + replica.listeningPort
                + " accepted. Sending " + missing.length + " bytes of backlog starting from offset " + from + ".");
        return true;
    }
    // end::continue-partially[]
    // end::psync[]

    private boolean disklessWanted() {
        return server.config().flag("repl-diskless-sync");
    }

    /** Starts a full sync for every replica waiting for one, unless a save or rewrite holds the snapshot now. */
    private void startFullSync() {
        List<ReplicaLink> waiting = replicas.stream().filter(r -> r.state == ReplicaLink.State.WAIT_BGSAVE_START).toList();
        if (waiting.isEmpty()) {
            waitingSinceMillis = -1;
            return;
        }
        boolean diskless = disklessWanted() && waiting.stream().allMatch(r -> r.capaEof);
        if (FullSync.start(this, waiting, diskless)) {
            waitingSinceMillis = -1;
        }
    }

    /** A full sync ended for these replicas: those that failed are dropped; others may be waiting for the next one. */
    void fullSyncEnded(List<ReplicaLink> failed) {
        for (ReplicaLink replica : failed) {
            replica.client.kill();
            replicas.remove(replica);
        }
        if (replicas.stream().anyMatch(r -> r.state == ReplicaLink.State.WAIT_BGSAVE_START) && waitingSinceMillis < 0) {
            waitingSinceMillis = server.clock().millis();
        }
    }

    // tag::replconf[]
    /** REPLCONF option value ...: what a replica says of itself before its PSYNC, and its ACKs after. */
    public void replconf(Client client, byte[][] args, io.port6379.protocol.RespWriter reply) {
        if (args.length % 2 == 0) {
            throw new RedisException("ERR syntax error");
        }
        ReplicaLink replica = client.peek(LINK);
        if (replica == null) {
            replica = new ReplicaLink(client, server.clock().millis());
            client.set(LINK, replica);
        }
        for (int i = 1; i < args.length; i += 2) {
            String option = new String(args[i], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            String value = new String(args[i + 1], StandardCharsets.ISO_8859_1);
            switch (option) {
                case "listening-port" -> replica.listeningPort = (int) io.port6379.server.util.Args.parseLong(args[i + 1]);
                case "ip-address" -> replica.announcedIp = value;
                case "capa" -> {
                    replica.capaEof |= value.equalsIgnoreCase("eof");
                    replica.capaPsync2 |= value.equalsIgnoreCase("psync2");
                }
                case "ack" -> {
                    acknowledged(replica, args[i + 1]);
                    return; // an ACK gets no reply
                }
                case "getack" -> {
                    if (link != null) {
                        link.ackSoon();
                    }
                    return;
                }
                case "rdb-only", "rdb-filter-only" -> { }
                default -> throw new RedisException("ERR Unrecognized REPLCONF option: " + value(args[i]));
            }
        }
        reply.simpleString("OK");
    }

    private void acknowledged(ReplicaLink replica, byte[] offsetArgument) {
        if (!replica.client.isReplica()) {
            return;
        }
        replica.acknowledged(io.port6379.server.util.Args.parseLong(offsetArgument), server.clock().millis());
        acknowledged.signalAll(); // SHUTDOWN's wait counts again
        answerWaiting(-1);
    }
    // end::replconf[]

    private static String value(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    // tag::wait[]
    /**
     * WAIT numreplicas timeout: how many replicas acknowledged the stream up to the client's own last write (Redis's
     * {@code c->woff}; 0 for a client that never wrote, so every online replica counts). When too few did, the client
     * blocks (Redis's {@code BLOCKED_WAIT}) and the replicas are asked for an ACK at once ({@code REPLCONF GETACK *}
     * in the stream) instead of at their next second; the thread that reads the ACK that makes the count answers it
     * ({@link #answerWaiting}), as does the cron once the timeout passed.
     */
    public void waitForReplicas(Client client, long wanted, long timeoutMillis, RespWriter reply) {
        if (masterHost != null) {
            throw new RedisException("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
                    + "if a replica is configured to be writable (which is not the default) writes to replicas are just "
                    + "local and are not propagated.");
        }
        offset(); // the client's last write is in the stream the replicas receive
        long[] written = client.peek(WRITE_OFFSET);
        long target = written == null ? 0 : written[0];
        long acked = acknowledgedUpTo(target);
        if (acked >= wanted || client.inMulti()) {
            reply.integer(acked);
            return;
        }
        long deadline = timeoutMillis == 0 ? 0 : server.clock().millis() + timeoutMillis;
        BlockingKeys.Pending pending = server.blockingKeys().blockForAnswer(client, deadline,
                unblocked -> unblocked.integer(acknowledgedUpTo(target)));
        waiting.add(new Waiting(pending, target, wanted));
        requestAcks(target);
    }
    // end::wait[]

    // tag::answer-waiting[]
    /**
     * Redis's processClientsWaitingReplicas: after an ACK ({@code now} -1) or from the cron, every WAIT that has its
     * count, or whose timeout passed, is answered with the count. Under the lock.
     */
    private void answerWaiting(long now) {
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting wait = it.next();
            if (!wait.pending().waiting()) {
                it.remove(); // unblocked, disconnected, or answered when this server became a replica
                continue;
            }
            long acked = acknowledgedUpTo(wait.target());
            long deadline = wait.pending().deadline();
            if (acked >= wait.wanted() || now >= 0 && deadline != 0 && now >= deadline) {
                server.blockingKeys().answer(wait.pending(), answer -> answer.integer(acked));
                it.remove();
            }
        }
    }
    // end::answer-waiting[]

    /**
     * REPLCONF GETACK * into the stream: every replica answers with an ACK at once. Skipped when one already follows
     * {@code target} in the stream: its ACKs will cover it (Redis likewise sends one GETACK per event loop turn for all
     * its WAITing clients), so writers WAITing together do not each add a round of ACKs.
     */
    void requestAcks(long target) {
        if (replicas.isEmpty() || getAckSentAt >= target && getAckSentAt <= offset) {
            return;
        }
        stream.append(-1, GETACK);
        stream.flush();
        getAckSentAt = offset;
    }

    // ---- SHUTDOWN -----------------------------------------------------------------------------------------------

    // tag::shutdown[]
    /**
     * SHUTDOWN without NOW on a master (Redis's prepareForShutdown and isReadyToShutdown): while a replica has not
     * acknowledged the whole stream and {@code shutdown-timeout} is not 0, writes are paused, the replicas are asked
     * for an ACK, and SHUTDOWN waits, the execution lock released so that reads are served, until every replica has
     * acknowledged {@code master_repl_offset} or the timeout has passed. False when SHUTDOWN ABORT ended the wait.
     */
    public boolean awaitReplicasBeforeShutdown() {
        long timeoutMillis = server.config().number("shutdown-timeout") * 1000;
        if (timeoutMillis == 0 || masterHost != null || readyToShutdown()) {
            return true;
        }
        server.pauseClients(Long.MAX_VALUE, ServerContext.PauseMode.WRITE);
        requestAcks(offset);
        Log.log("*", "Waiting for replicas before shutting down.");
        shutdownWaiting = true;
        shutdownAborted = false;
        long deadline = server.wallClock().millis() + timeoutMillis;
        try {
            while (!readyToShutdown() && !shutdownAborted && server.wallClock().millis() < deadline) {
                acknowledged.await(Math.min(100, deadline - server.wallClock().millis()), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownWaiting = false;
        }
        if (shutdownAborted) {
            server.unpauseClients();
            return false;
        }
        for (ReplicaLink replica : replicas) {
            if (replica.ackOffset != offset) {
                Log.log("#", "Lagging replica " + replica.ip() + ":" + replica.listeningPort + " reported offset "
                        + replica.ackOffset + " behind master, lag=" + (server.clock().millis() - replica.ackMillis) / 1000
                        + ", state=" + replica.state.info + ".");
            }
        }
        return true;
    }
    // end::shutdown[]

    private boolean readyToShutdown() {
        long current = offset();
        return replicas.stream().allMatch(r -> r.ackOffset == current);
    }

    /** SHUTDOWN ABORT: true when a SHUTDOWN was waiting for replicas and will now answer an error instead. */
    public boolean abortShutdown() {
        if (!shutdownWaiting) {
            return false;
        }
        shutdownAborted = true;
        acknowledged.signalAll();
        return true;
    }

    /** FAILOVER [TO host port] [FORCE] [TIMEOUT ms] | ABORT: see {@link Failover}. */
    public void failover(String host, long port, long timeoutMillis, boolean force, boolean abort) {
        failover.command(host, port, timeoutMillis, force, abort);
    }

    /** Whether a FAILOVER is under way (REPLICAOF is refused meanwhile). */
    public boolean failingOver() {
        return failover.state != Failover.State.NO_FAILOVER;
    }

    private static final byte[][] GETACK = {ascii("REPLCONF"), ascii("GETACK"), ascii("*")};
    private static final byte[][] PING = {ascii("PING")};

    private long acknowledgedUpTo(long target) {
        return replicas.stream().filter(r -> r.state == ReplicaLink.State.ONLINE && r.ackOffset >= target).count();
    }

    // ---- roles: REPLICAOF --------------------------------------------------------------------------------------

    // tag::replicaof[]
    /**
     * REPLICAOF host port (Redis's replicationSetMaster): our replicas are disconnected (they will resync with the
     * history we are about to join), and the link connects. Our own id and offset are what the first PSYNC offers,
     * so a former master of the same history continues partially.
     */
    public void replicaOf(String host, int port) {
        stream.flush();
        if (link != null) {
            link.cancel();
        }
        masterHost = host;
        masterPort = port;
        server.config().set("replicaof", host + " " + port);
        server.blockingKeys().disconnectAll(); // what they wait for would come from the master now
        disconnectReplicas();
        updateFeed();
        server.activeExpire(false); // a replica's keys expire when the master's DEL says so
        server.databases().expiredKeys(Keyspace.ExpiredKeys.HIDE);
        link = new MasterLink(this, host, port);
        Log.role('S');
        link.start();
        Log.log("*", "Connecting to MASTER " + host + ":" + port);
    }

    /** REPLICAOF NO ONE (Redis's replicationUnsetMaster): a new history, the old id kept for former siblings. */
    // tag::promote[]
    public void promote() {
        if (masterHost == null) {
            return;
        }
        if (link != null) {
            link.cancel();
            link = null;
        }
        masterHost = null;
        server.config().set("replicaof", "");
        replid2 = replid; // Redis's shiftReplicationId
        secondReplOffset = offset + 1;
        changeReplicationId();
        Log.log("*", "Setting secondary replication ID to " + replid2 + ", valid up to offset: " + secondReplOffset
                + ". New replication ID is " + replid);
        disconnectReplicas();
        stream.forceSelect();
        if (backlog == null) {
            createBacklog();
        }
        updateFeed();
        server.activeExpire(true);
        server.databases().expiredKeys(Keyspace.ExpiredKeys.DELETE);
        noReplicasSinceMillis = server.clock().millis();
        Log.role('M');
        Log.log("*", "MASTER MODE enabled");
    }
    // end::promote[]
    // end::replicaof[]

    /**
     * How long this replica has not heard from its master, in milliseconds (Redis's {@code data_age} before a
     * cluster failover): since the last byte while the link is up, since it went down otherwise, and the whole
     * clock's value when it never synced, so that such a replica never starts an election on its own.
     */
    public long masterSilenceMillis() {
        long now = server.clock().millis();
        if (link != null && link.state() == MasterLink.State.CONNECTED) {
            return now - link.lastIoMillis;
        }
        long since = link == null ? -1 : link.downSinceMillis;
        return since < 0 ? now : now - since;
    }

    /** Whether REPLICAOF names the master we follow already. */
    public boolean follows(String host, int port) {
        return masterHost != null && masterHost.equalsIgnoreCase(host) && masterPort == port;
    }

    boolean isReplica() {
        return masterHost != null;
    }

    /** The master this server replicates, or null while it is a master. */
    public String masterHostOrNull() {
        return masterHost;
    }

    void disconnectReplicas() {
        for (ReplicaLink replica : replicas) {
            replica.client.kill();
        }
        replicas.clear();
    }

    /** DEBUG CHANGE-REPL-ID, and a backlog from scratch: a new random history id. */
    public void changeReplicationId() {
        replid = randomId();
    }

    /** DEBUG CHANGE-REPL-ID: a new history, no previous one. */
    public void renewIds() {
        changeReplicationId();
        replid2 = NO_ID;
        secondReplOffset = -1;
    }

    public String replid() {
        return replid;
    }

    public String replid2() {
        return replid2;
    }

    // ---- what the master link reports --------------------------------------------------------------------------

    /** The link finished a full sync: the master's history is ours now, and our replicas must resync with it. */
    void adoptedHistory(String id, long at) {
        historyKnown = true;
        replid = id;
        replid2 = NO_ID;
        secondReplOffset = -1;
        offset = at;
        disconnectReplicas();
        backlog = new ReplicationBacklog(backlogSize(), at);
        stream.forceSelect();
    }

    /** The link continued with a new id (our master was promoted): the old one stays valid up to here. */
    void historyRenamed(String id) {
        if (id.equals(replid)) {
            return;
        }
        replid2 = replid;
        secondReplOffset = offset + 1;
        replid = id;
        disconnectReplicas(); // they must learn the new id, and will continue partially with the old one
    }

    /** Bytes of the master's stream this replica applied: ours to offer to our own replicas, exactly. */
    void applied(byte[] bytes, int from, int length) {
        if (backlog == null) {
            backlog = new ReplicationBacklog(backlogSize(), offset);
        }
        byte[] copy = from == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, from, from + length);
        feedStream(copy);
    }

    // ---- the cron ----------------------------------------------------------------------------------------------

    // tag::cron[]
    /**
     * Redis's replicationCron, from the server cron: a FAILOVER's progress; flushes the stream; starts a waiting full
     * sync when its delay passed; once a second, a newline to replicas waiting for their RDB, a PING into the stream
     * every {@code repl-ping-replica-period}, replicas silent for {@code repl-timeout} dropped (not an old SYNC one:
     * it never ACKs), the backlog freed after {@code repl-backlog-ttl} without replicas, and, on a replica, an ACK to
     * the master.
     */
    private void cron() {
        failover.update();
        stream.flush();
        if (!waiting.isEmpty()) {
            answerWaiting(server.clock().millis());
        }
        replicas.removeIf(r -> r.client.isClosing() || server.client(r.client.id()) == null);
        long now = server.clock().millis();
        if (waitingSinceMillis >= 0 && !FullSync.running(this)) {
            long delay = server.config().number("repl-diskless-sync-delay") * 1000;
            long maxReplicas = server.config().number("repl-diskless-sync-max-replicas");
            long waiting = replicas.stream().filter(r -> r.state == ReplicaLink.State.WAIT_BGSAVE_START).count();
            if (!disklessWanted() || now - waitingSinceMillis >= delay || maxReplicas > 0 && waiting >= maxReplicas) {
                startFullSync();
            }
        }
        long second = now / 1000;
        if (second == lastCronSecond) {
            return;
        }
        lastCronSecond = second;
        secondsRun++;
        everySecond(now);
    }

    private void everySecond(long now) {
        for (ReplicaLink replica : replicas) {
            if (replica.state == ReplicaLink.State.WAIT_BGSAVE_START
                    || replica.state == ReplicaLink.State.WAIT_BGSAVE_END && !FullSync.diskless(this)) {
                replica.client.push(NEWLINE); // keeps a replica waiting for its RDB from timing out
            }
        }
        if (masterHost == null && !replicas.isEmpty() && secondsRun % server.config().number("repl-ping-replica-period") == 0) {
            stream.append(-1, PING);
            stream.flush();
        }
        long timeout = server.config().number("repl-timeout") * 1000;
        for (ReplicaLink replica : List.copyOf(replicas)) {
            if (replica.state == ReplicaLink.State.ONLINE && !replica.prePsync && now - replica.ackMillis > timeout) {
                Log.log("#", "Disconnecting timedout replica (streaming sync): " + replica.ip() + ":" + replica.listeningPort);
                replica.client.kill();
                replicas.remove(replica);
            }
        }
        if (!replicas.isEmpty()) {
            noReplicasSinceMillis = now;
        } else if (masterHost == null && backlog != null && server.config().number("repl-backlog-ttl") > 0
                && now - noReplicasSinceMillis > server.config().number("repl-backlog-ttl") * 1000) {
            renewIds(); // without a backlog the offset stops: an old id would promise history we cannot serve
            backlog = null;
            updateFeed();
            Log.log("*", "Replication backlog freed after " + server.config().number("repl-backlog-ttl")
                    + " seconds without connected replicas.");
        }
        if (link != null) {
            link.ackSoon();
        }
        removeRdbUsedToSyncReplicas();
    }
    // end::cron[]

    /**
     * Redis's removeRDBUsedToSyncReplicas: with {@code rdb-del-sync-files} on and neither {@code save} points nor the
     * append-only file, the RDB a full sync saved to disk is no data of this server's own, so it is deleted once no
     * replica waits for it or is still being sent it (the file holds a copy of the whole data set).
     */
    private void removeRdbUsedToSyncReplicas() {
        if (!server.config().flag("rdb-del-sync-files")) {
            rdbGeneratedByReplication = false; // enabled later, it must not delete a file it did not see made
            return;
        }
        boolean persistenceDisabled = server.config().get("save").isEmpty() && !server.config().flag("appendonly");
        if (!persistenceDisabled || !rdbGeneratedByReplication || FullSync.running(this)) {
            return;
        }
        for (ReplicaLink replica : replicas) {
            if (replica.state != ReplicaLink.State.ONLINE) {
                return; // WAIT_BGSAVE_START, WAIT_BGSAVE_END or SEND_BULK: the file may still be read
            }
        }
        java.nio.file.Path rdb = io.port6379.server.persistence.RdbSaver.file(server.config());
        if (java.nio.file.Files.exists(rdb, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            rdbGeneratedByReplication = false;
            Log.log("*", "Removing the RDB file used to feed replicas in a persistence-less instance");
            try {
                java.nio.file.Files.deleteIfExists(rdb);
            } catch (java.io.IOException e) {
                Log.log("#", "Error removing the RDB file used to feed replicas: " + e.getMessage());
            }
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    static String randomId() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
