// Exercise 06 (with Dispatcher.java): your command table. It replaces the reference io.port6379.server.CommandTable.
// Check it with `exercises/check 06`; talk to it with `exercises/run-server 06 --port 6380` and redis-cli.
package io.port6379.server;

import io.port6379.server.config.CommandRenames;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small open-addressing hash table from command names to {@link Command}s. Clients send names in any case
 * ({@code get}, {@code GET}, {@code GeT}); folding ASCII letters while hashing and comparing lets the lookup
 * read the request's bytes directly, where {@code new String(name).toLowerCase()} would allocate twice per
 * command on the hottest path of the server.
 *
 * <p>Filled at start-up, read-only afterwards, so it is safe to read from any thread. Each command family
 * adds itself with a {@code registerAll(CommandTable)} method; container commands keep their subcommands in
 * a table of their own ({@link #subcommandsOf}).
 *
 * <p>What to build: an open-addressing table (a power-of-two array of names and one of commands, linear
 * probing, grown to twice its size before it is half full) whose hash and comparison fold ASCII upper case to
 * lower case byte by byte, so {@link #lookup} never builds a String. {@link Command#nameBytes()} is the
 * command's lower-case name. Keep the commands in a list too, in registration order, for {@link #all} (COMMAND
 * lists them), and give each container command ({@link Command#isContainer()}) a table of its subcommands.
 * Tests: server/src/test/java/io/port6379/server/CommandTableTest.java, then DispatcherTest.java.
 * The reference solution is server/src/main/java/io/port6379/server/CommandTable.java.
 */
public final class CommandTable {

    /** Adds {@code command}, replacing one of the same name. */
    public CommandTable register(Command command) {
        throw new UnsupportedOperationException("exercise 06: register(): replace a command of the same name; grow before half full");
    }

    /** The command named {@code name} in any letter case, or {@code null}. O(length of the name). */
    public Command lookup(byte[] name) {
        throw new UnsupportedOperationException("exercise 06: lookup(): hash and compare with ASCII case folding, no String");
    }

    /**
     * {@code rename-command} at start-up: the command named {@code from} answers to {@code to} from now on, or to
     * nothing when {@code to} is empty (then it also leaves {@link #all}). The caller has checked both names. O(size).
     */
    void rename(String from, String to) {
        throw new UnsupportedOperationException("exercise 06: rename(): rebuild the slots without the old name, then add the new one");
    }

    /** The table of a container command's subcommands ({@code CLIENT ID} is {@code client|id}). */
    public CommandTable subcommandsOf(Command container) {
        throw new UnsupportedOperationException("exercise 06: subcommandsOf()");
    }

    /** Every top-level command, in registration order. */
    public List<Command> all() {
        throw new UnsupportedOperationException("exercise 06: all()");
    }

    public int size() {
        throw new UnsupportedOperationException("exercise 06: size()");
    }

    /** Given. rename-command: applies the directives in order to the filled table; a bad one stops the start-up. */
    public void renameAll(List<CommandRenames.Rename> renames) {
        for (CommandRenames.Rename rename : renames) {
            if (lookup(rename.from().getBytes(StandardCharsets.ISO_8859_1)) == null) {
                throw new IllegalArgumentException(rename.origin() + " No such command in rename-command");
            }
            if (!rename.to().isEmpty() && lookup(rename.to().getBytes(StandardCharsets.ISO_8859_1)) != null) {
                throw new IllegalArgumentException(rename.origin() + " Target command name already exists");
            }
            rename(rename.from(), rename.to());
        }
    }
}
