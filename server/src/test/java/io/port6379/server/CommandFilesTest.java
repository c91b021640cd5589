// The command files and their binding: every described command has code, every bound name has a file.
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandFilesTest {

    private static final CommandHandler NOTHING = (client, args, reply) -> { };

    @Test
    void bindingANameNoFileDescribesFailsTheStartUp() {
        CommandTable table = CommandTable.described();
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> table.handle("nosuch", NOTHING));
        assertEquals("no commands/nosuch.json describes the command nosuch", failure.getMessage());
        assertThrows(IllegalStateException.class, () -> table.handle("client|nosuch", NOTHING));
    }

    @Test
    void aDescribedCommandThatNoFamilyBindsFailsTheStartUp() {
        Map<String, Command> files = CommandFiles.described();
        CommandTable table = new CommandTable(Map.of("get", files.get("get"), "set", files.get("set")));
        table.handle("get", NOTHING);
        IllegalStateException failure = assertThrows(IllegalStateException.class, table::checkEveryCommandHandled);
        assertEquals("described in commands/ but bound by no family: set", failure.getMessage());
    }

    @Test
    void aDescribedSubcommandThatNoFamilyBindsFailsTheStartUp() {
        Map<String, Command> files = CommandFiles.described();
        CommandTable table = new CommandTable(Map.of("config", files.get("config"),
                "config|get", files.get("config|get"), "config|set", files.get("config|set")));
        table.handle("config|get", NOTHING);
        IllegalStateException failure = assertThrows(IllegalStateException.class, table::checkEveryCommandHandled);
        assertEquals("described in commands/ but bound by no family: config|set", failure.getMessage());
        table.handle("config|set", NOTHING);
        table.checkEveryCommandHandled();
    }

    @Test
    void theServersFamiliesBindEveryFileOnTheClassPath() {
        CommandTable table = new CommandRunner().server.commands();
        long described = CommandFiles.described().keySet().stream().filter(name -> !name.contains("|")).count();
        assertEquals(described, table.size());
    }

    @Test
    void thePackDescribesEveryCommandAsItsFileDoes() throws IOException {
        Path directory = Path.of("src/main/resources/commands");
        Map<String, Command> files = CommandFiles.read(directory);
        Map<String, Command> packed = CommandFiles.readPacked(directory, CommandFiles.pack(directory));
        assertEquals(files.keySet(), packed.keySet());
        for (String name : files.keySet()) {
            assertEquals(described(files.get(name)), described(packed.get(name)), name);
        }
    }

    @Test
    void theBuildPacksTheFilesOnTheClassPath() throws IOException {
        byte[] built;
        try (InputStream in = CommandFiles.class.getResourceAsStream("/" + CommandFiles.DIRECTORY + "/" + CommandFiles.PACK)) {
            assertNotNull(in, "the build (process-classes) writes the pack next to the files");
            built = in.readAllBytes();
        }
        assertArrayEquals(CommandFiles.pack(Path.of("src/main/resources/commands")), built);
    }

    @Test
    void aNewFileIsPackedWithTheOthers(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("hello.json"), """
                {"HELLO": {"summary": "Größe", "arity": -1, "command_flags": ["FAST"], "key_specs": [{"flags": ["RO"],
                 "begin_search": {"index": {"pos": 1}}, "find_keys": {"range": {"lastkey": -1, "step": 1, "limit": 0}}}],
                 "arguments": [{"name": "key", "type": "key", "key_spec_index": 0}]}}
                """);
        Command hello = CommandFiles.readPacked(directory, CommandFiles.pack(directory)).get("hello");
        assertEquals(described(CommandFiles.read(directory).get("hello")), described(hello));
        assertEquals("Größe", hello.docs().summary());
        assertEquals(-1, hello.lastKey());
    }

    /** A command as text, its argument trees read: the suppliers that read them differ between two readings. */
    private static String described(Command command) {
        StringBuilder text = new StringBuilder(command.toString().replaceAll("CommandFiles\\$Arguments@\\p{XDigit}+", ""));
        text.append(command.docs().arguments().get());
        command.subcommands().forEach(sub -> text.append(sub.docs().arguments().get()));
        return text.toString();
    }

    @Test
    void aFieldTheLoaderDoesNotKnowNamesTheFile(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("get.json"), """
                {"GET": {"summary": "Get the value of a key", "arity": 2, "comand_flags": ["READONLY"]}}
                """);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> CommandFiles.read(directory));
        assertEquals("commands/get.json: unknown field \"comand_flags\"", failure.getMessage());
    }

    @Test
    void aFileIsNamedAfterItsCommand(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("client-id.json"), """
                {"ID": {"arity": 2}}
                """);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> CommandFiles.read(directory));
        assertEquals("commands/client-id.json: describes id, so it should be named id.json", failure.getMessage());
    }

    @Test
    void everyFilesArgumentTreeReadsWhenCommandDocsFirstAsksForIt() {
        for (Command command : CommandFiles.described().values()) {
            command.docs().arguments().get();
        }
        Command zadd = CommandFiles.described().get("zadd");
        assertEquals(List.of("key", "condition", "comparison", "change", "increment", "score_member"),
                zadd.docs().arguments().get().stream().map(Command.Argument::name).toList());
    }

    @Test
    void theArgumentsComeLastInAFile(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("get.json"), """
                {"GET": {"arity": 2, "arguments": [{"name": "key", "type": "key"}], "since": "1.0.0"}}
                """);
        Command get = CommandFiles.read(directory).get("get"); // the start-up reads up to the arguments
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> get.docs().arguments().get());
        assertEquals("commands/get.json: the arguments must be the command's last field", failure.getMessage());
    }

    @Test
    void keySpecificationsGiveTheLegacyTripleAndMovableKeysAsRedisComputesThem() {
        Map<String, Command> files = CommandFiles.described();
        Command mset = files.get("mset");
        assertEquals(List.of(1, -1, 2), List.of(mset.firstKey(), mset.lastKey(), mset.step()));
        Command rename = files.get("rename"); // two consecutive one-key specifications make one range
        assertEquals(List.of(1, 2, 1), List.of(rename.firstKey(), rename.lastKey(), rename.step()));
        Command zunionstore = files.get("zunionstore"); // the destination is a range, the sources a keynum
        assertEquals(List.of(1, 1, 1), List.of(zunionstore.firstKey(), zunionstore.lastKey(), zunionstore.step()));
        assertTrue(zunionstore.has(CommandFlag.MOVABLEKEYS));
        Command zunion = files.get("zunion");
        assertEquals(List.of(0, 0, 0), List.of(zunion.firstKey(), zunion.lastKey(), zunion.step()));
        assertTrue(zunion.has(CommandFlag.MOVABLEKEYS));
    }
}
