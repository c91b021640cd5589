// The stream family's consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO.
package io.port6379.server.commands;

import io.port6379.server.CommandTable;

final class StreamGroupCommands {

    private StreamGroupCommands() {
    }

    static void registerAll(CommandTable table) {
    }
}
