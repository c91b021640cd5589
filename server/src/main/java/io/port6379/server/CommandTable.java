// Every command the server knows, found by its case-insensitive name without allocating.
package io.port6379.server;

import io.port6379.server.config.CommandRenames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small open-addressing hash table from command names to {@link Command}s. Clients send names in any case
 * ({@code get}, {@code GET}, {@code GeT}); folding ASCII letters while hashing and comparing lets the lookup
 * read the request's bytes directly, where {@code new String(name).toLowerCase()} would allocate twice per
 * command on the hottest path of the server.
 *
 * <p>Filled at start-up, read-only afterwards, so it is safe to read from any thread. The table starts from the
 * command files ({@link #described()}, see {@link CommandFiles}): they say what each command is, its family says
 * what it does, binding code to names in a {@code registerAll(CommandTable)} method with {@link #handle}. A name
 * without a file, or a file whose command no family binds, stops the start-up ({@link #checkEveryCommandHandled}).
 * Container commands keep their subcommands in a table of their own ({@link #subcommandsOf}).
 */
public final class CommandTable {

    private Command[] slots = new Command[256];
    private byte[][] names = new byte[256][];
    private final List<Command> commands = new ArrayList<>();
    /** Each command's index in {@link #commands}, by name: a family binding a subcommand replaces its container. */
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, CommandTable> subcommandTables = new HashMap<>();
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

    // tag::handle[]
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
    // end::handle[]

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

    /** Adds {@code command}, replacing one of the same name in its place. */
    public CommandTable register(Command command) {
        if ((commands.size() + 1) * 2 > slots.length) {
            grow();
        }
        Integer at = positions.get(command.name());
        if (at != null) {
            commands.set(at, command);
        } else {
            positions.put(command.name(), commands.size());
            commands.add(command);
        }
        put(command.nameBytes(), command);
        if (command.isContainer()) {
            CommandTable subcommands = new CommandTable();
            command.subcommands().forEach(subcommands::register);
            subcommandTables.put(command.name(), subcommands);
        }
        return this;
    }

    // tag::lookup[]
    /** The command named {@code name} in any letter case, or {@code null}. O(length of the name). */
    public Command lookup(byte[] name) {
        int mask = slots.length - 1;
        for (int i = hash(name) & mask; names[i] != null; i = (i + 1) & mask) {
            if (equalsIgnoreCase(names[i], name)) {
                return slots[i];
            }
        }
        return null;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + toLower(b);
        }
        return h ^ (h >>> 16);
    }

    private static byte toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
    // end::lookup[]

    /**
     * {@code rename-command} at start-up: the command named {@code from} answers to {@code to} from now on, or to
     * nothing when {@code to} is empty (then it also leaves {@link #all}). The caller has checked both names. O(size).
     */
    void rename(String from, String to) {
        byte[] oldName = from.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        Command command = lookup(oldName);
        Command[] oldSlots = slots;
        byte[][] oldNames = names;
        slots = new Command[oldSlots.length];
        names = new byte[oldNames.length][];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldNames[i] != null && !equalsIgnoreCase(oldNames[i], oldName)) {
                put(oldNames[i], oldSlots[i]);
            }
        }
        if (to.isEmpty()) {
            commands.remove(command);
            positions.clear();
            for (int i = 0; i < commands.size(); i++) {
                positions.put(commands.get(i).name(), i);
            }
        } else {
            put(to.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1), command);
        }
    }

    /** The table of a container command's subcommands ({@code CLIENT ID} is {@code client|id}). */
    public CommandTable subcommandsOf(Command container) {
        return subcommandTables.get(container.name());
    }

    /** Every top-level command, in registration order. */
    public List<Command> all() {
        return Collections.unmodifiableList(commands);
    }

    public int size() {
        return commands.size();
    }

    private void put(byte[] name, Command command) {
        int mask = slots.length - 1;
        int i = hash(name) & mask;
        while (names[i] != null && !equalsIgnoreCase(names[i], name)) {
            i = (i + 1) & mask;
        }
        names[i] = name;
        slots[i] = command;
    }

    private void grow() {
        Command[] oldSlots = slots;
        byte[][] oldNames = names;
        slots = new Command[oldSlots.length * 2];
        names = new byte[oldNames.length * 2][];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldNames[i] != null) {
                put(oldNames[i], oldSlots[i]);
            }
        }
    }

    private static boolean equalsIgnoreCase(byte[] lowerCase, byte[] any) {
        if (lowerCase.length != any.length) {
            return false;
        }
        for (int i = 0; i < any.length; i++) {
            if (lowerCase[i] != toLower(any[i])) {
                return false;
            }
        }
        return true;
    }

    // tag::apply[]
    /** rename-command: applies the directives in order to the filled table; a bad one stops the start-up. */
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
    // end::apply[]
}
