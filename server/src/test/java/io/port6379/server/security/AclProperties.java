// Laws of ACL users: ACL LIST's line rebuilds the user, and random rules describe and decide as on redis-server.
package io.port6379.server.security;

import io.port6379.server.Command;
import io.port6379.server.CommandRunner;
import io.port6379.server.CommandTable;
import io.port6379.server.TestServer;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of ACL SETUSER rules, valid and invalid, drawn from every kind of rule. Two laws:
 * <ol>
 *   <li>Round trip: the rules ACL LIST prints for a user, applied to a new user, give the same line and the same
 *       decisions (Redis relies on this to save users to an ACL file).</li>
 *   <li>Equivalence with Redis 7.0.15: after the same SETUSER, the reply, ACL GETUSER and ACL DRYRUN of a fixed
 *       set of calls answer the same on both servers, byte for byte, except GETUSER's {@code commands}: which
 *       categories describe a user best depends on every command the server has, and Redis has more (streams,
 *       geo, scripting...), so that field is compared by the decisions it leads to (the DRYRUNs) instead.
 *       {@link AclTest} compares whole descriptions where the two command tables agree.</li>
 * </ol>
 */
class AclProperties {

    private static final List<String> RULES = List.of(
            "on", "off", "nopass", "resetpass", ">pw1", ">pw2", "<pw1", "reset", "sanitize-payload",
            "allkeys", "resetkeys", "~a*", "%R~r*", "%W~w*", "%RW~b", "allchannels", "resetchannels", "&c*", "&news",
            "+@all", "-@all", "allcommands", "nocommands", "+@read", "-@read", "+@write", "-@write", "+@string",
            "-@string", "+@hash", "-@dangerous", "+@keyspace", "-@keyspace", "+@pubsub", "+@connection", "-@slow",
            "+get", "-get", "+set", "-set", "+client", "-client", "-client|kill", "+client|id", "+select|0",
            "+config|get", "-config", "+acl", "-acl|setuser", "(~b* +get)", "(+set %W~c* &x)", "(", "~q)", "clearselectors",
            "bogus", "+nosuch", "%~x", "#abc", "<nope");

    /** Calls whose permission ACL DRYRUN reports: commands, subcommands, first arguments, keys and channels. */
    private static final List<String[]> CALLS = List.of(
            new String[] {"get", "a1"}, new String[] {"get", "w1"}, new String[] {"set", "w1", "v"},
            new String[] {"set", "r1", "v"}, new String[] {"mget", "r1", "b"}, new String[] {"select", "0"},
            new String[] {"select", "1"}, new String[] {"client", "id"}, new String[] {"client", "kill", "id", "1"},
            new String[] {"config", "get", "x"}, new String[] {"publish", "c1", "m"}, new String[] {"psubscribe", "c*"},
            new String[] {"subscribe", "news", "x"}, new String[] {"acl", "setuser", "x"}, new String[] {"ping"},
            new String[] {"lmpop", "2", "a1", "b", "LEFT"});

    private static final CommandRunner runner = new CommandRunner();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static RealRedis redis;
    private static TestServer ours;

    @Provide
    Arbitrary<List<String>> rules() {
        return Arbitraries.of(RULES).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 500)
    void theListLineRebuildsTheSameUser(@ForAll("rules") List<String> rules) {
        AclCommandIndex index = Acl.of(runner.server).index();
        AclUser user = new AclUser("u", index);
        for (String rule : rules) {
            try {
                user.apply(rule);
            } catch (AclUser.InvalidRule ignored) { // e.g. "(" alone, which only ACL SETUSER merges with what follows
                // an invalid rule changes nothing further; the law is about what the user became
            }
        }
        String line = user.describe();
        AclUser rebuilt = new AclUser("u", index);
        Acl.mergeSelectors(Arrays.asList(line.substring("user u ".length()).split(" "))).forEach(rebuilt::apply);
        assertEquals(line, rebuilt.describe());
        for (String[] call : CALLS) {
            Command command = commandOf(runner.server.commands(), call);
            byte[][] args = bytes(call);
            assertEquals(user.check(command, args), rebuilt.check(command, args), String.join(" ", call));
        }
    }

    @Property(tries = 200)
    void randomRulesDescribeAndDecideAsOnRedis(@ForAll("rules") List<String> rules) throws Exception {
        startServers();
        String name = "p" + USERS.incrementAndGet();
        List<String> setuser = new ArrayList<>(List.of("ACL", "SETUSER", name));
        setuser.addAll(rules);
        assertEquals(transcript(redis.port(), name, setuser), transcript(ours.port(), name, setuser), String.join(" ", setuser));
    }

    private static List<String> transcript(int port, String name, List<String> setuser) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RespConnection c = new RespConnection(port)) {
            replies.add(c.call(setuser.toArray(String[]::new)));
            replies.add(withoutCommands(c.call("ACL", "GETUSER", name)));
            for (String[] call : CALLS) {
                String[] dryrun = new String[call.length + 3];
                dryrun[0] = "ACL";
                dryrun[1] = "DRYRUN";
                dryrun[2] = name;
                System.arraycopy(call, 0, dryrun, 3, call.length);
                replies.add(String.join(" ", call) + " -> " + c.call(dryrun));
            }
            c.call("ACL", "DELUSER", name);
        }
        return replies;
    }

    private static final Pattern COMMANDS = Pattern.compile("\\$8\r\ncommands\r\n\\$\\d+\r\n[^\r]*\r\n");

    private static String withoutCommands(String getuser) {
        return COMMANDS.matcher(getuser).replaceFirst("commands=(compared through DRYRUN)");
    }

    private static Command commandOf(CommandTable table, String[] call) {
        Command command = table.lookup(call[0].getBytes(StandardCharsets.US_ASCII));
        return command.isContainer() ? table.subcommandsOf(command).lookup(call[1].getBytes(StandardCharsets.US_ASCII)) : command;
    }

    private static byte[][] bytes(String[] call) {
        byte[][] args = new byte[call.length][];
        for (int i = 0; i < call.length; i++) {
            args[i] = call[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return args;
    }

    private static synchronized void startServers() throws Exception {
        if (redis == null) {
            redis = RealRedis.start();
            ours = TestServer.start();
        }
    }

    @AfterContainer
    static void stopServers() {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
