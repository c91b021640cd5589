// One row of the command table: a command's name, arity and flags, as Redis's COMMAND INFO reports them.
package io.port6379.server;

import java.util.Set;

/**
 * A command as described in Redis's command table.
 *
 * @param name     lower-case name, e.g. {@code "get"}
 * @param arity    number of arguments including the name; negative means "at least -arity"
 * @param flags    Redis's flags, e.g. {@code "readonly"}, {@code "fast"}
 * @param firstKey position of the first key argument (0 when the command takes no key)
 * @param lastKey  position of the last key argument (negative counts from the end)
 * @param step     distance between key arguments
 * @param handler  the implementation
 */
public record Command(String name, int arity, Set<String> flags, int firstKey, int lastKey, int step,
                      CommandHandler handler) {

    /** Whether {@code argumentCount} (including the name) satisfies this command's arity. */
    public boolean acceptsArgumentCount(int argumentCount) {
        return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
    }
}
