// Exercise 06 (with Dispatcher.java): your command table. It replaces the reference io.port6379.server.CommandTable.
// Check it with `exercises/check 08`; talk to it with `exercises/run-server 08 --port 6380` and redis-cli.
package io.port6379.server;

import io.port6379.server.config.CommandRenames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small open-addressing hash table from command names to {@link Command}s. Clients send names in any case
 * ({@code get}, {@code GET}, {@code GeT}); folding ASCII letters while hashing and comparing lets the lookup
 * read the request's bytes directly, where {@code new String(name).toLowerCase()} would allocate twice per
 * command on the hottest path of the server.
 *
 * <p>Filled at start-up, read-only afterwards, so it is safe to read from any thread. The table starts from the
 * command files ({@link #described()}): they say what each command is, its family binds the code to the names
 * with {@link #handle} (given); container commands keep their subcommands in a table of their own
 * ({@link #subcommandsOf}).
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

    // Given: the command files and the binding of code to their names, on top of register, lookup and
    // subcommandsOf, which are yours.
    private final Map<String, Command> described;

    /** An empty table that knows no command files: every command comes from {@link #register}. */
    public CommandTable() {
        this(Map.of());
    }

    /** An empty table whose commands are those of {@code described}, by name; families then {@link #handle} them. */
    CommandTable(Map<String, Command> described) {
        this.described = described;
    }

    /** An empty table for the commands of the files under {@code commands/} on the class path. */
    public static CommandTable described() {
        return new CommandTable(CommandFiles.described());
    }

    /**
     * Binds {@code handler} to the described command {@code name} ({@code "get"}, or {@code "client|list"} for a
     * subcommand) and adds it. A container is added with its first subcommand; binding a container itself gives
     * it what runs without a subcommand (COMMAND alone). Fails when no file describes {@code name}.
     */
    public CommandTable handle(String name, CommandHandler handler) {
        Command row = described.get(name);
        if (row == null) {
            throw new IllegalStateException("no " + CommandFiles.DIRECTORY + "/" + name.replace('|', '-')
                    + ".json describes the command " + name);
        }
        int bar = name.indexOf('|');
        if (bar < 0) {
            Command registered = find(name);
            List<Command> subcommands = registered == null ? List.of() : registered.subcommands();
            return register(row.withHandler(handler).withSubcommands(subcommands));
        }
        String containerName = name.substring(0, bar);
        Command container = find(containerName);
        if (container == null) {
            container = described.get(containerName).withSubcommands(List.of());
        }
        List<Command> subcommands = new ArrayList<>(container.subcommands());
        subcommands.add(row.withHandler(handler));
        return register(container.withSubcommands(subcommands));
    }

    /**
     * Fails, naming them, when some described commands or subcommands have no handler: a file without code would
     * otherwise be a command that COMMAND lists and the server cannot run.
     */
    public void checkEveryCommandHandled() {
        List<String> missing = new ArrayList<>();
        for (Command row : described.values()) {
            int bar = row.name().indexOf('|');
            Command registered = find(bar < 0 ? row.name() : row.name().substring(0, bar));
            boolean handled = registered != null
                    && (bar < 0 || subcommandsOf(registered).lookup(row.shortName().getBytes(StandardCharsets.ISO_8859_1)) != null);
            if (!handled) {
                missing.add(row.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("described in " + CommandFiles.DIRECTORY + "/ but bound by no family: "
                    + String.join(", ", missing.stream().sorted().toList()));
        }
    }

    /** The command registered under its own name (not a renamed one). */
    private Command find(String name) {
        Command command = lookup(name.getBytes(StandardCharsets.ISO_8859_1));
        return command != null && command.name().equals(name) ? command : null;
    }

    /** Adds {@code command}, replacing one of the same name. */
    public CommandTable register(Command command) {
        throw new UnsupportedOperationException("exercise 08: register(): replace a command of the same name; grow before half full");
    }

    /** The command named {@code name} in any letter case, or {@code null}. O(length of the name). */
    public Command lookup(byte[] name) {
        throw new UnsupportedOperationException("exercise 08: lookup(): hash and compare with ASCII case folding, no String");
    }

    /**
     * {@code rename-command} at start-up: the command named {@code from} answers to {@code to} from now on, or to
     * nothing when {@code to} is empty (then it also leaves {@link #all}). The caller has checked both names. O(size).
     */
    void rename(String from, String to) {
        throw new UnsupportedOperationException("exercise 08: rename(): rebuild the slots without the old name, then add the new one");
    }

    /** The table of a container command's subcommands ({@code CLIENT ID} is {@code client|id}). */
    public CommandTable subcommandsOf(Command container) {
        throw new UnsupportedOperationException("exercise 08: subcommandsOf()");
    }

    /** Every top-level command, in registration order. */
    public List<Command> all() {
        throw new UnsupportedOperationException("exercise 08: all()");
    }

    public int size() {
        throw new UnsupportedOperationException("exercise 08: size()");
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
