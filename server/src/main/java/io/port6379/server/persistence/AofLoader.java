// Start-up with appendonly yes: replays the base and incremental files the manifest lists, through the dispatcher.
package io.port6379.server.persistence;

import io.port6379.server.util.Log;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's {@code loadAppendOnlyFiles}. The files are read in the manifest's order: the base (an RDB file when it
 * starts with {@code REDIS}, else commands), then each incremental file. Commands are replayed as a client
 * would send them, by a client without a socket, so replaying runs exactly the code that ran them the first
 * time; the AOF itself is not open yet, so nothing is recorded twice.
 *
 * <p>A file that ends in the middle of a command (the server died while writing it) is handled as
 * {@code aof-load-truncated} says: {@code yes} (the default) loads every complete command, cuts the file after
 * the last one and starts, logging Redis's warnings; {@code no} refuses to start with Redis's message. Only the
 * last file may be cut short: an earlier one was complete when the next was opened. A transaction with MULTI
 * but no EXEC at the end is dropped with the same rule, as Redis does.
 */
public final class AofLoader {

    private AofLoader() {
    }

    /**
     * Loads the append-only file into the (empty) databases. Does nothing when there is no manifest yet.
     *
     * @throws IOException with Redis's wording when the files are missing, malformed or truncated (and
     *                     {@code aof-load-truncated} is {@code no})
     */
    public static void load(ServerContext server) throws IOException {
        loadIfPresent(server);
    }

    /** {@link #load}, telling whether there was a manifest to load (DEBUG LOADAOF). */
    public static boolean loadIfPresent(ServerContext server) throws IOException {
        AofDirectory directory = AofDirectory.of(server.config());
        AofManifest manifest = directory.readManifest();
        if (manifest == null) {
            return false;
        }
        long start = System.nanoTime();
        List<AofManifest.Entry> files = manifest.loadOrder();
        Client loader = Client.detached(-1, server);
        loader.authenticated(true); // replaying is not a login: requirepass must not refuse the file's commands
        server.executionLock().lock();
        try {
            loadFiles(server, directory, files, loader);
        } finally {
            server.executionLock().unlock();
        }
        Log.log("*", String.format("DB loaded from append only file: %.3f seconds", (System.nanoTime() - start) / 1e9));
        return true;
    }

    private static void loadFiles(ServerContext server, AofDirectory directory, List<AofManifest.Entry> files, Client loader)
            throws IOException {
        for (int i = 0; i < files.size(); i++) {
            AofManifest.Entry entry = files.get(i);
            Path path = directory.path(entry.file());
            if (!Files.exists(path)) {
                throw new IOException("Unable to obtain the AOF file " + entry.file() + " length. stat: No such file or directory");
            }
            long fileStart = System.nanoTime();
            boolean rdb = isRdb(path);
            if (rdb) {
                Log.log("*", "Reading RDB base file on AOF loading...");
            }
            if (rdb) {
                loadRdb(server, path);
            } else {
                loadCommands(server, loader, path, i == files.size() - 1);
            }
            Log.log("*", String.format("DB loaded from %s file %s: %.3f seconds",
                    entry.type() == AofManifest.Type.BASE ? "base" : "incr", entry.file(), (System.nanoTime() - fileStart) / 1e9));
        }
    }

    private static boolean isRdb(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(5);
            return new String(magic, StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** An RDB base, through the RDB reader. */
    private static void loadRdb(ServerContext server, Path path) throws IOException {
        List<byte[]> functions = new java.util.ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            RdbReader.read(in, ChecksumValidation.rdbChecked(server), server.databases().limits(),
                    RdbReader.deepForFiles(server.config().get("sanitize-dump-payload")),
                    server.config().number("key-load-delay"), new RdbReader.Sink() {
                @Override
                public void entry(int db, byte[] key, RedisValue value, long expireAtMillis) {
                    server.databases().get(db).set(Bytes.of(key), value, expireAtMillis);
                }

                @Override
                public void function(byte[] code) {
                    functions.add(code);
                }

                @Override
                public void access(int db, byte[] key, long idleSeconds, int frequency) {
                    StartupLoader.restoreAccess(server, server.databases().get(db), Bytes.of(key), idleSeconds, frequency);
                }

                @Override
                public void aux(String name, byte[] value) {
                }
            });
            StartupLoader.loadFunctions(server, functions, false);
        } catch (RdbException e) {
            throw new IOException(e.getMessage() + " (loading " + path.getFileName() + ")", e);
        }
    }

    /** Replays a file of commands; the last file may end mid-command (see the class comment). */
    private static void loadCommands(ServerContext server, Client loader, Path path, boolean last) throws IOException {
        String name = path.getFileName().toString();
        RespWriter replies = new RespWriter();
        long validUpTo = 0;
        long beforeMulti = -1;
        // tag::replay[]
        try (CountingInput in = new CountingInput(Files.newInputStream(path))) {
            while (true) {
                byte[][] args;
                try {
                    args = in.command();
                } catch (EOFException e) {
                    truncated(server, path, name, last, validUpTo, false);
                    break;
                }
                if (args == null) {
                    break; // the end of the file, between two commands
                }
                if (args.length == 0) {
                    validUpTo = in.offset(); // an annotation line (aof-timestamp-enabled): skipped, as Redis does
                    continue;
                }
                String command = new String(args[0], StandardCharsets.ISO_8859_1);
                if (server.commands().lookup(args[0]) == null) {
                    throw new IOException("Unknown command '" + command + "' reading the append only file " + name);
                }
                if (command.equalsIgnoreCase("MULTI")) {
                    beforeMulti = validUpTo;
                } else if (command.equalsIgnoreCase("EXEC")) {
                    beforeMulti = -1;
                }
                server.execute(loader, args, replies);
                replies.clear();
                validUpTo = in.offset();
            }
            // end::replay[]
        } catch (BadFormat e) {
            throw new IOException("Bad file format reading the append only file " + name
                    + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
        }
        if (beforeMulti >= 0) {
            Log.log("#", "Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            server.execute(loader, new byte[][] {"DISCARD".getBytes(StandardCharsets.US_ASCII)}, replies);
            truncated(server, path, name, last, beforeMulti, true);
        }
    }

    // tag::truncated[]
    /** The file ends inside a command (or a transaction): cut it after the last complete one, or refuse to start. */
    private static void truncated(ServerContext server, Path path, String name, boolean last, long validUpTo,
                                  boolean multi) throws IOException {
        if (!last || !server.config().flag("aof-load-truncated")) {
            throw new IOException("Unexpected end of file reading the append only file " + name + ". You can: "
                    + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        }
        if (!multi) {
            Log.log("#", "!!! Warning: short read while loading the AOF file " + name + "!!!");
        }
        Log.log("#", "!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.WRITE)) {
            file.truncate(validUpTo);
            file.force(true);
        }
        Log.log("#", "AOF " + name + " loaded anyway because aof-load-truncated is enabled");
    }
    // end::truncated[]

    /** A line that is not where a command, a length or a payload should be. */
    private static final class BadFormat extends IOException {
        BadFormat() {
            super("bad format");
        }
    }

    /**
     * Reads RESP commands as Redis's loader does: {@code *<argc>}, then {@code $<len>} and the payload for each
     * argument. Counts bytes, so that a truncated file can be cut after the last complete command. Reads through
     * its own buffer: replaying a big file is mostly parsing short lines.
     */
    private static final class CountingInput implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private long offset;

        CountingInput(InputStream in) {
            this.in = in;
        }

        long offset() {
            return offset;
        }

        /** The next byte, or -1 at the end of the file. */
        private int read() throws IOException {
            if (position == limit) {
                limit = Math.max(0, in.read(buffer));
                position = 0;
                if (limit == 0) {
                    return -1;
                }
            }
            offset++;
            return buffer[position++] & 0xff;
        }

        /** The next command; null at the end of the file; an empty array for an annotation line. */
        byte[][] command() throws IOException {
            int first = read();
            if (first < 0) {
                return null;
            }
            if (first == '#') {
                number(true);
                return new byte[0][];
            }
            if (first != '*') {
                throw new BadFormat();
            }
            long argc = number(false);
            if (argc < 1) {
                throw new BadFormat();
            }
            List<byte[]> args = new ArrayList<>((int) Math.min(argc, 1024)); // a corrupt count must not allocate
            for (long i = 0; i < argc; i++) {
                int dollar = read();
                if (dollar < 0) {
                    throw new EOFException();
                }
                if (dollar != '$') {
                    throw new BadFormat();
                }
                long length = number(false);
                if (length < 0 || length > Integer.MAX_VALUE - 8) {
                    throw new BadFormat();
                }
                args.add(payload((int) length));
            }
            return args.toArray(byte[][]::new);
        }

        /** {@code length} bytes and the CRLF after them; EOF when the file ends first. */
        private byte[] payload(int length) throws IOException {
            byte[] payload = new byte[Math.min(length, 1 << 20)];
            int filled = 0;
            while (filled < length) {
                if (position == limit) {
                    limit = Math.max(0, in.read(buffer));
                    position = 0;
                    if (limit == 0) {
                        throw new EOFException();
                    }
                }
                if (filled == payload.length) {
                    payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
                }
                int n = Math.min(limit - position, length - filled);
                System.arraycopy(buffer, position, payload, filled, n);
                position += n;
                filled += n;
                offset += n;
            }
            if (read() < 0 || read() < 0) {
                throw new EOFException();
            }
            return payload;
        }

        /** The decimal number up to the end of the line (CRLF); EOF when the file ends before the LF. */
        private long number(boolean skipLine) throws IOException {
            long value = 0;
            boolean negative = false;
            boolean digits = false;
            boolean valid = true;
            while (true) {
                int c = read();
                if (c < 0) {
                    throw new EOFException();
                }
                if (c == '\n') {
                    if (skipLine) {
                        return 0;
                    }
                    if (!valid || !digits) {
                        throw new BadFormat();
                    }
                    return negative ? -value : value;
                }
                if (c == '\r' || skipLine) {
                    continue;
                }
                if (c == '-' && !digits && !negative) {
                    negative = true;
                } else if (c >= '0' && c <= '9' && value < Long.MAX_VALUE / 10) {
                    value = value * 10 + (c - '0');
                    digits = true;
                } else {
                    valid = false;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
