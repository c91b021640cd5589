// Persistence as the kernel sees it: load the files before listening, save on schedule and at shutdown, close.
package io.port6379.server.persistence;

import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;

import java.io.IOException;

/** The RDB file ({@link RdbSaver}) and the append-only file ({@link AppendOnlyFile}) around the server's life. */
public final class DataFiles implements Concerns.Persistence {

    private final ServerContext server;

    public DataFiles(ServerContext server) {
        this.server = server;
    }

    @Override
    public void load() throws IOException {
        StartupLoader.load(server);
    }


    @Override
    public boolean saveForShutdown() {
        return RdbSaver.of(server).saveForShutdown();
    }

    @Override
    public void close() {
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        if (aof != null) {
            aof.close();
            server.propagation(null);
        }
    }
}
