// Persistence as the kernel sees it: load the files before listening, save on schedule and at shutdown, close.
package io.port6379.server.persistence;

import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;

import java.io.IOException;

/** The RDB file ({@link RdbSaver}) and the append-only file ({@link AppendOnlyFile}) around the server's life. */
public final class DataFiles implements Concerns.Persistence {

    /** Redis's {@code shared.bgsaveerr}, byte for byte. */
    static final String BGSAVE_ERROR = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured to "
            + "report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the "
            + "Redis logs for details about the RDB error.";

    private final ServerContext server;

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
     * or append-only write that succeeds.
     */
    @Override
    public String refusal(Client client, Command command) {
        if (!command.has(CommandFlag.WRITE) && !command.name().equals("ping")) {
            return null;
        }
        ServerConfig config = server.config();
        if (config.flag("stop-writes-on-bgsave-error") && !config.get("save").isEmpty()
                && !RdbSaver.of(server).lastBgsaveOk()) {
            return BGSAVE_ERROR;
        }
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        if (aof != null && !aof.status().lastWriteOk()) {
            return "MISCONF Errors writing to the AOF file: " + aof.status().lastWriteError();
        }
        return null;
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
