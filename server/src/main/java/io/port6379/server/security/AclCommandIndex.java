// Numbers every command and subcommand, so that an ACL user's permitted commands fit in one bit set.
package io.port6379.server.security;

import io.port6379.server.AclCategory;
import io.port6379.server.Command;
import io.port6379.server.CommandTable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis gives each command an id ({@code cmd->id}) and keeps a user's permissions as a bitmap indexed by it; a
 * container ({@code CLIENT}) and each of its subcommands ({@code client|id}) have ids of their own. This index
 * does the same for our command table, built once when the table is complete, and lists each category's commands
 * so that {@code +@read} sets its bits in one pass.
 *
 * <p>{@link #ordered()} is the order in which ACL LIST names single commands and ACL CAT lists a category: the
 * command table's, each container followed by its subcommands, including commands {@code rename-command} removed
 * (Redis's {@code orig_commands}). Redis walks a hash table whose seed is random per
 * process, so its order changes from one redis-server to the next; ours is fixed. Read-only after construction.
 */
public final class AclCommandIndex {

    private final Map<String, Command> byName = new HashMap<>();
    private final List<Command> ordered = new ArrayList<>();
    private final Map<Command, Integer> ids = new IdentityHashMap<>();
    private final Map<Command, Command> parents = new IdentityHashMap<>();
    private final Map<AclCategory, BitSet> byCategory = new EnumMap<>(AclCategory.class);

    /** Built before {@code rename-command} applies, so that rules name commands by their original names. */
    AclCommandIndex(CommandTable table) {
        for (AclCategory category : AclCategory.values()) {
            byCategory.put(category, new BitSet());
        }
        for (Command command : table.all()) {
            add(command);
            for (Command sub : command.subcommands()) {
                parents.put(sub, command);
                add(sub);
            }
        }
    }

    private void add(Command command) {
        int id = ordered.size();
        ordered.add(command);
        ids.put(command, id);
        byName.put(command.name(), command);
        for (AclCategory category : command.aclCategories()) {
            byCategory.get(category).set(id);
        }
    }

    /** Every command and subcommand, containers before their subcommands. */
    public List<Command> ordered() {
        return ordered;
    }

    int size() {
        return ordered.size();
    }

    /** The id of {@code command}, or -1 for a command registered after the index was built. O(1). */
    int id(Command command) {
        Integer id = ids.get(command);
        return id == null ? -1 : id;
    }

    /** The container of a subcommand, or {@code null} for a top-level command. */
    Command parent(Command command) {
        return parents.get(command);
    }

    /** The ids of the commands that belong to {@code category}; do not modify. */
    public BitSet members(AclCategory category) {
        return byCategory.get(category);
    }

    /**
     * Redis's {@code ACLLookupCommand}: {@code get}, or {@code client|id} for a subcommand, in any letter case.
     * As in Redis, which looks in its table of original names, a command renamed or removed by
     * {@code rename-command} is still known by its original name. {@code null} when there is no such command. O(1).
     */
    Command lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The category called {@code name} ({@code read}, any case, without the {@code @}), or {@code null}. */
    public static AclCategory category(String name) {
        for (AclCategory category : AclCategory.values()) {
            if (category.redisName().substring(1).equalsIgnoreCase(name)) {
                return category;
            }
        }
        return null;
    }

}
