// The persistence family: SAVE, BGSAVE [SCHEDULE] and LASTSAVE.
package io.port6379.server.commands;

import io.port6379.server.util.Log;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;

import java.io.IOException;

/** Commands that write the dataset to disk or report when it was last written. */
public final class PersistenceCommands {

    private PersistenceCommands() {
    }

    // tag::commands[]
    /** SAVE — blocks the server while the file is written; Redis answers a bare {@code -ERR} when that fails. */
    static void save(Client client, byte[][] args, RespWriter reply) {
        RdbSaver rdb = RdbSaver.of(client.server());
        if (rdb.inProgress()) {
            throw new RedisException("ERR Background save already in progress");
        }
        try {
            rdb.save();
        } catch (IOException | RuntimeException e) {
            Log.log("#", "Failed opening the temp RDB file or writing it: " + e.getMessage());
            throw new RedisException("ERR");
        }
        reply.simpleString("OK");
    }

    /**
     * BGSAVE [SCHEDULE] — while an AOF rewrite runs, SCHEDULE defers the save and plain BGSAVE is refused; inside
     * EXEC the save is always deferred, so the snapshot never splits a transaction.
     */
    static void bgsave(Client client, byte[][] args, RespWriter reply) {
        boolean schedule = args.length == 2 && "schedule".equalsIgnoreCase(new String(args[1]));
        if (args.length > 2 || (args.length == 2 && !schedule)) {
            throw new RedisException("ERR syntax error");
        }
        RdbSaver rdb = RdbSaver.of(client.server());
        if (rdb.inProgress()) {
            throw new RedisException("ERR Background save already in progress");
        }
        if (rdb.aofRewriteInProgress() && !schedule && !client.inMulti()) {
            throw new RedisException("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        if (rdb.aofRewriteInProgress() || client.inMulti()) {
            rdb.schedule();
            reply.simpleString("Background saving scheduled");
        } else {
            rdb.bgsave();
            reply.simpleString("Background saving started");
        }
    }
    // end::commands[]

    /** LASTSAVE — Unix seconds of the last successful save (the start-up time until the first one). */
    static void lastsave(Client client, byte[][] args, RespWriter reply) {
        reply.integer(RdbSaver.of(client.server()).lastSaveSeconds());
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("save", PersistenceCommands::save);
        table.handle("bgsave", PersistenceCommands::bgsave);
        table.handle("lastsave", PersistenceCommands::lastsave);
    }
}
