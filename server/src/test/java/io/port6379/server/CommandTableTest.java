// The command table and what COMMAND reports from it.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTableTest {

    private final CommandRunner redis = new CommandRunner();

    /** A command with no description but its name and arity, for tests that add commands of their own. */
    static Command command(String name, int arity, CommandHandler handler) {
        Command.Docs docs = new Command.Docs("", "", "", "", List.of(), "", "", List.of(), List::of);
        return new Command(name, arity, Set.of(), Set.of(), 0, 0, 0, List.of(), List.of(), docs, List.of(), handler);
    }

    @Test
    void lookupIgnoresCaseAndFindsNothingForUnknownNames() {
        CommandTable table = redis.server.commands();
        Command get = table.lookup("get".getBytes(StandardCharsets.US_ASCII));
        assertSame(get, table.lookup("GET".getBytes(StandardCharsets.US_ASCII)));
        assertSame(get, table.lookup("gEt".getBytes(StandardCharsets.US_ASCII)));
        assertNull(table.lookup("gets".getBytes(StandardCharsets.US_ASCII)));
        assertNull(table.lookup(new byte[0]));
    }

    @Test
    void manyRegistrationsGrowTheTableWithoutLosingAny() {
        CommandTable table = new CommandTable();
        for (int i = 0; i < 1000; i++) {
            table.register(command("cmd" + i, 1, (c, a, r) -> { }));
        }
        assertEquals(1000, table.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals("cmd" + i, table.lookup(("CMD" + i).getBytes(StandardCharsets.US_ASCII)).name());
        }
    }

    @Test
    void aclCategoriesFollowFromFlagsAsInRedis() {
        Command get = redis.server.commands().lookup("get".getBytes(StandardCharsets.US_ASCII));
        assertEquals(EnumSet.of(AclCategory.READ, AclCategory.STRING, AclCategory.FAST), get.aclCategories());
        Command set = redis.server.commands().lookup("set".getBytes(StandardCharsets.US_ASCII));
        assertEquals(EnumSet.of(AclCategory.WRITE, AclCategory.STRING, AclCategory.SLOW), set.aclCategories());
    }

    @Test
    void commandCountMatchesTheTable() {
        assertEquals(":" + redis.server.commands().size() + "\r\n", redis.run("COMMAND", "COUNT"));
    }

    @Test
    void commandInfoHasTenFieldsPerCommand() {
        String info = redis.run("COMMAND", "INFO", "get");
        assertTrue(info.startsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n"), info);
        assertTrue(redis.run("COMMAND").startsWith("*" + redis.server.commands().size() + "\r\n*10\r\n"));
    }

    @Test
    void commandInfoFindsSubcommandsByTheirFullName() {
        assertTrue(redis.run("COMMAND", "INFO", "config|get").startsWith("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n"));
    }

    @Test
    void commandDocsGivesSummaryGroupAndArguments() {
        String docs = redis.run("COMMAND", "DOCS", "incr");
        assertEquals("*2\r\n$4\r\nincr\r\n*10\r\n$7\r\nsummary\r\n$43\r\nIncrement the integer value of a key by one\r\n"
                + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
                + "$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
                + "$14\r\nkey_spec_index\r\n:0\r\n", docs);
    }
}
