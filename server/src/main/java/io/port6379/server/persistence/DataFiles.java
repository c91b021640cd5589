// Persistence as the kernel sees it: load the files before listening, save on schedule and at shutdown, close.
package io.port6379.server.persistence;

import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.util.Log;

import java.io.IOException;

/** The RDB file ({@link RdbSaver}) and the append-only file ({@link AppendOnlyFile}) around the server's life. */
public final class DataFiles implements Concerns.Persistence {

    /** Redis's {@code shared.bgsaveerr}, byte for byte. */
    static final String BGSAVE_ERROR = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured to "
            + "report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the "
            + "Redis logs for details about the RDB error.";

    private final ServerContext server;
    private long lastApplyingLogMillis;
    private boolean panicked;

    public DataFiles(ServerContext server) {
        this.server = server;
    }

    @Override
    public void load() throws IOException {
        StartupLoader.load(server);
    }


    // tag::misconf[]
    /**
     * Redis's {@code writeCommandsDeniedByDiskError}: while the last background save failed (with save points
     * and {@code stop-writes-on-bgsave-error yes}), or the last write to the append-only file did, write commands
     * are refused, and PING too, so that a health check notices. The refusal ends by itself with the next save
     * or append-only write that succeeds. A replica cannot refuse its master's stream: it applies the command and
     * logs (at most every 10 s) with {@code replica-ignore-disk-write-errors yes}, and panics without it, unless
     * the command is a PING, as Redis's processCommand does for the master client.
     */
    @Override
    public String refusal(Client client, Command command) {
        if (!command.has(CommandFlag.WRITE) && !command.name().equals("ping")
                && !(command.name().equals("exec") && server.transactions().queuedWith(client, CommandFlag.WRITE))) {
            return null; // an EXEC whose queue holds a write counts as a write, as in Redis's processCommand
        }
        String error = diskError();
        if (error == null || !client.isMaster()) {
            return error;
        }
        if (!server.config().flag("replica-ignore-disk-write-errors") && !command.name().equals("ping")) {
            panic("Replica was unable to write command to disk.");
            return error; // not applied: the server is going down
        }
        long now = server.clock().millis();
        if (now > lastApplyingLogMillis + 10_000) {
            lastApplyingLogMillis = now;
            Log.log("#", "Replica is applying a command even though it is unable to write to disk.");
        }
        return null;
    }

    private String diskError() {
        ServerConfig config = server.config();
        // the failed save first: it is one field, and this runs before every write command
        if (!RdbSaver.of(server).lastBgsaveOk() && config.flag("stop-writes-on-bgsave-error")
                && !config.get("save").isEmpty()) {
            return BGSAVE_ERROR;
        }
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        if (aof != null && !aof.status().lastWriteOk()) {
            return "MISCONF Errors writing to the AOF file: " + aof.status().lastWriteError();
        }
        return null;
    }

    /** Redis's serverPanic: the lines it logs, then the server stops at once, without saving. */
    private void panic(String message) {
        if (panicked) {
            return;
        }
        panicked = true;
        Log.log("#", "------------------------------------------------");
        Log.log("#", "!!! Software Failure. Press left mouse button to continue");
        Log.log("#", "Guru Meditation: " + message);
        Thread.ofVirtual().name("panic").start(() -> server.requestShutdown(false));
    }
    // end::misconf[]

    @Override
    public boolean saveForShutdown() {
        return RdbSaver.of(server).saveForShutdown();
    }

    @Override
    public void close() {
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        if (aof != null) {
            aof.close();
            PropagationFeed.aof(server, null);
        }
    }
}
