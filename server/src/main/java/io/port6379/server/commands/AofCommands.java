// BGREWRITEAOF: the command that compacts the append-only file.
package io.port6379.server.commands;

import io.port6379.server.persistence.AofRewrite;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.ServerContext;

/** The append-only file's command; the file itself is {@link AppendOnlyFile}. */
public final class AofCommands {

    private AofCommands() {
    }

    // tag::bgrewriteaof[]
    /**
     * BGREWRITEAOF — with the AOF on, a new base and incremental file replace the old parts; with it off, as
     * Redis 7.0 does, a base alone is written and listed in the manifest, ready for {@code appendonly yes}. During
     * a BGSAVE, or inside EXEC, the rewrite is scheduled and the cron starts it, as Redis's bgrewriteaofCommand.
     */
    static void bgrewriteaof(Client client, byte[][] args, RespWriter reply) {
        ServerContext server = client.server();
        RdbSaver rdb = RdbSaver.of(server);
        if (rdb.aofRewriteInProgress()) {
            throw new RedisException("ERR Background append only file rewriting already in progress");
        }
        if (rdb.inProgress() || client.inMulti()) {
            rdb.scheduleAofRewrite();
            reply.simpleString("Background append only file rewriting scheduled");
            return;
        }
        AofRewrite.start(server);
        reply.simpleString("Background append only file rewriting started");
    }
    // end::bgrewriteaof[]

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("bgrewriteaof", AofCommands::bgrewriteaof);
    }
}
