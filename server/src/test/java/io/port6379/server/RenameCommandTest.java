// rename-command: renamed and removed commands, from the command line (compared with redis-server) and from a file.
package io.port6379.server;

import io.port6379.server.config.ServerConfig;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RenameCommandTest {

    private static final String[] RENAMES = {"--rename-command", "flushall", "", "--rename-command", "config", "cfg"};

    @Test
    void renamedAndRemovedCommandsAnswerAsInRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(RENAMES); TestServer ours = TestServer.start(RENAMES);
             RespConnection theirs = new RespConnection(redis.port()); RespConnection mine = new RespConnection(ours.port())) {
            for (String[] command : List.of(new String[] {"FLUSHALL"}, new String[] {"CONFIG", "GET", "maxclients"},
                    new String[] {"cfg", "GET", "maxclients"}, new String[] {"CFG", "SET", "maxclients", "50"},
                    new String[] {"Cfg", "GET", "maxclients"}, new String[] {"cfg", "NOSUCH"},
                    new String[] {"FLUSHDB"}, new String[] {"PING"})) {
                assertEquals(theirs.call(command), mine.call(command), String.join(" ", command));
            }
        }
    }

    @Test
    void aConfigFileMayRenameWithQuotesAndRemoveWithAnEmptyName() {
        ServerConfig config = new ServerConfig();
        config.load(List.of("rename-command get \"\"", "rename-command SET 'store'"));
        CommandRunner runner = new CommandRunner();
        runner.server.commands().renameAll(config.commandRenames());
        assertEquals("-ERR unknown command 'get', with args beginning with: 'k' \r\n", runner.run("get", "k"));
        assertEquals("-ERR unknown command 'set', with args beginning with: 'k' 'v' \r\n", runner.run("set", "k", "v"));
        assertEquals("+OK\r\n", runner.run("STORE", "k", "v"));
    }

    @Test
    void unknownCommandsExistingTargetsAndMissingArgumentsStopTheStartWithRedisReasons() {
        assertEquals("at line 2 >>> 'rename-command nosuch x' No such command in rename-command",
                failure("# comment", "rename-command nosuch x"));
        assertEquals("at line 1 >>> 'rename-command get set' Target command name already exists",
                failure("rename-command get set"));
        assertEquals("at line 1 >>> 'rename-command get' Bad directive or wrong number of arguments",
                failure("rename-command get"));
    }

    private static String failure(String... lines) {
        return assertThrows(IllegalArgumentException.class, () -> {
            ServerConfig config = new ServerConfig();
            config.load(List.of(lines));
            new CommandRunner().server.commands().renameAll(config.commandRenames());
        }).getMessage();
    }
}
