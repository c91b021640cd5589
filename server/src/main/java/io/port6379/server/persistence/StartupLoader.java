// What the server loads before it accepts clients: the RDB file (or, with appendonly yes, the append-only file).
package io.port6379.server.persistence;

import io.port6379.server.util.Log;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisValue;
import io.port6379.server.Concerns;
import io.port6379.server.Databases;
import io.port6379.server.ServerContext;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up load, as Redis's {@code loadDataFromDisk}: with {@code appendonly yes} the append-only file is
 * the source of truth and the RDB file is not read; otherwise {@code dir/dbfilename} is loaded when it exists.
 *
 * <p>All or nothing: the file is parsed completely into a list first and only then put into the databases, so a
 * corrupted or truncated file leaves every database empty and the server refuses to start, as Redis does.
 */
public final class StartupLoader {

    private StartupLoader() {
    }

    /**
     * Loads the data the server starts with. Called once, before the server listens.
     *
     * @throws IOException with Redis's wording when the file cannot be read or is not valid
     */
    public static void load(ServerContext server) throws IOException {
        if (server.config().flag("appendonly")) {
            AofLoader.load(server);
            PropagationFeed.aof(server, AppendOnlyFile.openAtStartup(server));
            return;
        }
        Path file = RdbSaver.file(server.config());
        if (Files.exists(file)) {
            loadRdb(server, file);
        }
    }

    /** One key read from the file, kept until the whole file has been read. */
    private record Loaded(int db, byte[] key, RedisValue value, long expireAt, long idleSeconds, int frequency) {
    }

    // tag::load-rdb[]
    /** Reads {@code file} completely, then fills the databases; O(size of the file). */
    static void loadRdb(ServerContext server, Path file) throws IOException {
        long start = System.nanoTime();
        List<Loaded> loaded = new ArrayList<>();
        List<byte[]> functions = new ArrayList<>();
        read(server, file, loaded, functions);
        loadFunctions(server, functions, false);
        fill(server, loaded, false);
        Log.log("*", String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    private static void read(ServerContext server, Path file, List<Loaded> loaded, List<byte[]> functions)
            throws IOException {
        Databases databases = server.databases();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbReader.read(in, ChecksumValidation.rdbChecked(server), server.databases().limits(),
                    RdbReader.deepForFiles(server.config().get("sanitize-dump-payload")),
                    server.config().number("key-load-delay"), new RdbReader.Sink() {
                @Override
                public void entry(int db, byte[] key, RedisValue value, long expireAtMillis) {
                    if (!databases.isValid(db)) {
                        throw new RdbException("FATAL: Data file was created with a Redis server configured to handle "
                                + "more than " + databases.count() + " databases. Exiting");
                    }
                    loaded.add(new Loaded(db, key, value, expireAtMillis, -1, -1));
                }

                @Override
                public void access(int db, byte[] key, long idleSeconds, int frequency) {
                    Loaded last = loaded.removeLast();
                    loaded.add(new Loaded(last.db(), last.key(), last.value(), last.expireAt(), idleSeconds, frequency));
                }

                @Override
                public void function(byte[] code) {
                    functions.add(code);
                }

                @Override
                public void aux(String name, byte[] value) {
                    if (name.equals("redis-ver")) {
                        Log.log("*", "Loading RDB produced by version " + new String(value, StandardCharsets.UTF_8));
                    }
                }
            });
        } catch (RdbException e) {
            throw new IOException(e.getMessage() + " (loading " + file + "). Unrecoverable error, aborting now.", e);
        } catch (IOException e) {
            throw new IOException("Short read or OOM loading DB. Unrecoverable error, aborting now. (" + file + ": "
                    + e.getMessage() + ")", e);
        }
    }
    // end::load-rdb[]

    /**
     * DEBUG RELOAD's load: {@code file} read into databases that may already hold keys (NOFLUSH). With
     * {@code merge} the file's keys replace those; without it a key already present fails the load before anything
     * is stored (Redis stops the whole server there). The file's function libraries replace those of the same names
     * after a flush ({@code flushed}: Redis's emptyData clears the functions too) or with {@code merge}; otherwise
     * a library already loaded fails the load, as Redis's rdbFunctionLoad without RDBFLAGS_ALLOW_DUP does.
     * O(size of the file).
     */
    public static void reload(ServerContext server, Path file, boolean merge, boolean flushed) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("No such file " + file);
        }
        long start = System.nanoTime();
        List<Loaded> loaded = new ArrayList<>();
        List<byte[]> functions = new ArrayList<>();
        read(server, file, loaded, functions);
        if (!merge) {
            for (Loaded entry : loaded) {
                if (server.databases().get(entry.db()).peek(Bytes.of(entry.key())) != null) {
                    throw new IOException("RDB has duplicated key '" + new String(entry.key(), StandardCharsets.ISO_8859_1)
                            + "' in DB " + entry.db());
                }
            }
        }
        loadFunctions(server, functions, merge || flushed);
        fill(server, loaded, false);
        Log.log("*", String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    /** The file's function libraries, before its keys; {@code replace}: those of the same names are replaced. */
    static void loadFunctions(ServerContext server, List<byte[]> functions, boolean replace) throws IOException {
        Concerns.Functions libraries = server.peek(Concerns.FUNCTIONS);
        if (functions.isEmpty()) {
            return;
        }
        if (libraries == null) {
            throw new IOException("The RDB file contains Redis functions, but scripting is not available");
        }
        try {
            libraries.loadAll(functions, replace);
        } catch (RuntimeException e) {
            throw new IOException("Failed loading the functions of the RDB file: " + e.getMessage(), e);
        }
    }

    /**
     * A loaded key's saved eviction data, as Redis's objectSetLRUOrLFU: the counter under an LFU policy, else the
     * idle time (the LRU clock runs under every other policy); what the current policy does not use is dropped.
     */
    static void restoreAccess(ServerContext server, Keyspace db, Bytes key, long idleSeconds, int frequency) {
        boolean lfu = server.databases().accessTracking().lfu();
        if (lfu && frequency >= 0) {
            db.setFrequency(key, frequency);
        } else if (!lfu && idleSeconds >= 0) {
            db.setIdleSeconds(key, idleSeconds);
        }
    }

    // tag::transferred[]
    /**
     * The RDB a master sent in a full resynchronisation, parsed completely (without the lock, while clients are
     * still served the old data, as {@code repl-diskless-load swapdb} does) and then {@link #install installed}: the
     * old data is dropped and the new put in its place at once, under the lock. Its AUX fields name the replication
     * history the data belongs to.
     */
    public static final class Transferred {
        private final List<Loaded> loaded = new ArrayList<>();
        private String replid;
        private long offset = -1;
        private int streamDb;

        /** {@code repl-id}, or null when the RDB does not name one. */
        public String replid() {
            return replid;
        }

        /** {@code repl-offset}, or -1. */
        public long offset() {
            return offset;
        }

        /** {@code repl-stream-db}: the database the master's stream continues in. */
        public int streamDb() {
            return streamDb;
        }

        /** Replaces every database's content with the transferred keys. Under the execution lock. */
        public void install(ServerContext server) {
            server.databases().flushAll();
            fill(server, loaded, true);
        }
    }

    /**
     * Parses a transferred RDB from {@code in} (a file, or the socket itself with diskless load), reading no further
     * than its EOF opcode and checksum; O(size), sleeping {@code key-load-delay} per key as Redis's test hook does.
     */
    public static Transferred readTransferred(ServerContext server, InputStream in) throws IOException {
        Transferred transferred = new Transferred();
        Databases databases = server.databases();
        RdbSaver saver = RdbSaver.of(server);
        long interval = Math.max(server.config().number("loading-process-events-interval-bytes"), 1);
        RdbReader.read(in, ChecksumValidation.rdbChecked(server), server.databases().limits(),
                RdbReader.deepForFiles(server.config().get("sanitize-dump-payload")),
                server.config().number("key-load-delay"), new RdbReader.Sink() {
            @Override
            public void entry(int db, byte[] key, RedisValue value, long expireAtMillis) {
                if (!databases.isValid(db)) {
                    throw new RdbException("the master's RDB uses database " + db + ", beyond 'databases'");
                }
                transferred.loaded.add(new Loaded(db, key, value, expireAtMillis, -1, -1));
            }

            @Override
            public void aux(String name, byte[] value) {
                String text = new String(value, StandardCharsets.ISO_8859_1);
                switch (name) {
                    case "repl-id" -> transferred.replid = text;
                    case "repl-offset" -> transferred.offset = Long.parseLong(text);
                    case "repl-stream-db" -> transferred.streamDb = Integer.parseInt(text);
                    case "used-mem" -> saver.loadingRdbUsedMem(Long.parseLong(text));
                    default -> { }
                }
            }

            /**
             * Redis's rdbLoadProgressCallback: the count shown moves each time the bytes parsed cross a multiple of
             * loading-process-events-interval-bytes, so it is 0 until then, and never ahead of the AUX fields.
             */
            private long lastParsed;

            @Override
            public void parsed(long bytes) {
                if (bytes / interval > lastParsed / interval) {
                    saver.loadingProgress(bytes);
                }
                lastParsed = bytes;
            }
        });
        return transferred;
    }
    // end::transferred[]

    /**
     * Stores the loaded keys. A master skips those already expired; a replica ({@code keepExpired}) keeps them, as
     * Redis's rdbLoad does when it is not a master: they are its master's to delete, by the DEL its stream will carry.
     */
    private static void fill(ServerContext server, List<Loaded> loaded, boolean keepExpired) {
        Databases databases = server.databases();
        long expired = 0;
        for (Loaded entry : loaded) {
            Keyspace db = databases.get(entry.db());
            boolean past = entry.expireAt() >= 0 && entry.expireAt() <= server.clock().millis();
            if (keepExpired) {
                db.setExpiring(Bytes.of(entry.key()), entry.value(), entry.expireAt());
            } else {
                db.set(Bytes.of(entry.key()), entry.value(), entry.expireAt());
                expired += past ? 1 : 0;
            }
            if (!past || keepExpired) {
                restoreAccess(server, db, Bytes.of(entry.key()), entry.idleSeconds(), entry.frequency());
            }
        }
        RdbSaver.of(server).loaded(loaded.size() - expired, expired);
        Log.log("*", "Done loading RDB, keys loaded: " + (loaded.size() - expired) + ", keys expired: " + expired + ".");
    }
}
