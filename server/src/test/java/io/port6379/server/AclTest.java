// ACL users on a real redis-server and on ours: every reply compared byte for byte.
package io.port6379.server;

import io.port6379.server.security.AclUser;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each scenario runs on fresh connections to a real Redis 7.0 and to ours, so the expected texts are Redis's. Users
 * created by one scenario are named after it, so scenarios do not see each other's users. Where Redis's reply
 * depends on its per-process hash seed (the order of single commands in ACL LIST, of commands in ACL CAT), the
 * scenario names at most one single command, or the test compares sets. Fails in CI without redis-server.
 */
class AclTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static void sameOnBoth(String[]... commands) throws IOException {
        assertEquals(transcript(servers.redis().port(), commands), transcript(servers.ours().port(), commands));
    }

    private static String transcript(int port, String[]... commands) throws IOException {
        StringBuilder out = new StringBuilder();
        try (RespConnection c = new RespConnection(port)) {
            for (String[] command : commands) {
                String reply = c.call(command).replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n:ID\r\n");
                out.append(String.join(" ", command)).append(" -> ").append(reply); // HELLO's client id differs
            }
        }
        return out.toString();
    }

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void execRefusesQueuedCommandsTheUserLostAfterMultiAsRedisDoes() throws IOException {
        assertEquals(rulesChangedDuringMulti(servers.redis().port()), rulesChangedDuringMulti(servers.ours().port()));
    }

    /** MULTI as a user, its rules narrowed by another connection, then EXEC: each command re-checked, and logged. */
    private static String rulesChangedDuringMulti(int port) throws IOException {
        try (RespConnection admin = new RespConnection(port); RespConnection user = new RespConnection(port)) {
            admin.call("ACL", "LOG", "RESET");
            admin.call("ACL", "SETUSER", "tx", "reset", "on", "nopass", "+@all", "~*", "&*");
            user.call("AUTH", "tx", "x");
            StringBuilder out = new StringBuilder();
            for (String[] command : new String[][] {cmd("MULTI"), cmd("SET", "a", "1"), cmd("GET", "a"),
                    cmd("SET", "b", "2"), cmd("PUBLISH", "ch", "m")}) {
                out.append(user.call(command));
            }
            admin.call("ACL", "SETUSER", "tx", "-get", "resetkeys", "~a", "resetchannels");
            out.append(user.call("EXEC"));
            String log = admin.call("ACL", "LOG");
            out.append(log, 0, log.indexOf("\r\n")); // the number of entries; their times differ
            admin.call("ACL", "DELUSER", "tx");
            return out.toString();
        }
    }

    @Test
    void setuserGetuserAndListDescribeUsersAsRedisDoes() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "alice", "on", ">p1", "~k*", "&ch*", "+@read", "-get", "%R~r*"),
                cmd("ACL", "GETUSER", "alice"),
                cmd("ACL", "SETUSER", "alice2", "+@all", "-@string", "+get", "-@dangerous", "+@hash"),
                cmd("ACL", "GETUSER", "alice2"),
                cmd("ACL", "SETUSER", "alice3", "-@all", "+client", "-client|kill", "+@read", "-@read", "%R~a", "%W~a", "%R~b"),
                cmd("ACL", "GETUSER", "alice3"),
                cmd("ACL", "SETUSER", "alice4", ">pw", ">pw", ">other", "<other", "skip-sanitize-payload", "+select|0", "allchannels"),
                cmd("ACL", "GETUSER", "alice4"),
                cmd("ACL", "SETUSER", "alice5", "on", ">x", "~*", "+@all", "reset"),
                cmd("ACL", "GETUSER", "alice5"),
                cmd("HELLO", "3"), cmd("ACL", "GETUSER", "alice"), cmd("ACL", "GETUSER", "default"),
                cmd("ACL", "GETUSER", "nosuch"));
        assertEquals(listed(servers.redis().port(), "alice"), listed(servers.ours().port(), "alice"));
        assertTrue(listed(servers.ours().port(), "default").contains("user default on nopass ~* &* +@all"));
    }

    @Test
    void selectorsAddPermissionsAndTheMostTellingRefusalIsReported() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "sel1", "on", "nopass", "+@all", "~a*", "(~b*", "+get)", "(+set %W~c* &x)"),
                cmd("ACL", "GETUSER", "sel1"), cmd("ACL", "DRYRUN", "sel1", "get", "b1"), cmd("ACL", "DRYRUN", "sel1", "set", "b1", "v"),
                cmd("ACL", "DRYRUN", "sel1", "set", "c1", "v"), cmd("ACL", "DRYRUN", "sel1", "get", "z"),
                cmd("ACL", "SETUSER", "sel2", "(~x", "+get"), cmd("ACL", "SETUSER", "sel2", "(~x +nosuch)"),
                cmd("ACL", "SETUSER", "sel2", "(on)"), cmd("ACL", "SETUSER", "sel2", "(", "~x", ")"), cmd("ACL", "GETUSER", "sel2"),
                cmd("ACL", "SETUSER", "sel3", "on", "nopass", "-@all", "~a*", "(~b* +get)", "(+set %W~c* &x)"),
                cmd("ACL", "DRYRUN", "sel3", "del", "z"), cmd("ACL", "DRYRUN", "sel3", "set", "z", "v"),
                cmd("ACL", "DRYRUN", "sel3", "publish", "y", "m"), cmd("ACL", "DRYRUN", "sel3", "publish", "x", "m"),
                cmd("AUTH", "sel3", "any"), cmd("GET", "b1"), cmd("SET", "b1", "v"), cmd("SET", "c1", "v"), cmd("RESET"),
                cmd("HELLO", "3"), cmd("ACL", "GETUSER", "sel1"), cmd("ACL", "SETUSER", "sel1", "clearselectors"),
                cmd("ACL", "GETUSER", "sel1"));
        assertEquals(listed(servers.redis().port(), "sel"), listed(servers.ours().port(), "sel"));
    }

    /** The ACL LIST lines of the users whose names start with {@code prefix} (other scenarios' users vary). */
    private static List<String> listed(int port, String prefix) throws IOException {
        return bulkStrings(transcript(port, cmd("ACL", "LIST"))).stream().filter(line -> line.startsWith("user " + prefix)).toList();
    }

    @Test
    void invalidRulesGetRedissErrorsAndChangeNothing() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "bob", "on", "+get"),
                cmd("ACL", "SETUSER", "bob", "off", "%~c"), cmd("ACL", "SETUSER", "bob", "%RX~d"),
                cmd("ACL", "SETUSER", "bob", "allkeys", "~e"), cmd("ACL", "SETUSER", "bob", "allchannels", "&f"),
                cmd("ACL", "SETUSER", "bob", "#abc"), cmd("ACL", "SETUSER", "bob", "<nope"),
                cmd("ACL", "SETUSER", "bob", "+nosuch"), cmd("ACL", "SETUSER", "bob", "+@nosuch"),
                cmd("ACL", "SETUSER", "bob", "bogus"), cmd("ACL", "SETUSER", "bob", "+client|nosuch"),
                cmd("ACL", "SETUSER", "bob", "+client|id|x"), cmd("ACL", "SETUSER", "bob", "+get|"),
                cmd("ACL", "SETUSER", "bob", "-select|0"), cmd("ACL", "SETUSER", "bob", "~a b"),
                cmd("ACL", "SETUSER", "b b"), cmd("ACL", "SETUSER", "bob", "-@"),
                cmd("ACL", "GETUSER", "bob"), cmd("ACL", "SETUSER", "bob2", "bogus"), cmd("ACL", "GETUSER", "bob2"));
    }

    @Test
    void usersWhoamiDeluserCatGenpassAndHelp() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "carol"), cmd("ACL", "SETUSER", "carol2"), cmd("ACL", "WHOAMI"),
                cmd("ACL", "DELUSER", "default", "carol"), cmd("ACL", "DELUSER", "carol", "nosuch", "carol2", "carol2"),
                cmd("ACL", "DELUSER", "carol"), cmd("ACL", "CAT"), cmd("ACL", "CAT", "nosuch"), cmd("ACL", "CAT", "a", "b"),
                cmd("ACL", "GENPASS", "0"), cmd("ACL", "GENPASS", "4097"), cmd("ACL", "GENPASS", "x"),
                cmd("ACL", "WHOAMI", "x"), cmd("ACL", "HELP"), cmd("ACL", "LOAD"), cmd("ACL", "SAVE"),
                cmd("ACL", "NOSUCH"), cmd("ACL", "LOG", "x"), cmd("ACL", "LOG", "1", "2"));
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                assertTrue(c.call("ACL", "GENPASS").matches("\\$64\r\n[0-9a-f]{64}\r\n"));
                assertTrue(c.call("ACL", "GENPASS", "5").matches("\\$2\r\n[0-9a-f]{2}\r\n"));
            }
        }
    }

    @Test
    void deniedCommandsKeysAndChannelsGetNoperm() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "dave", "on", ">pw", "+@all", "-@dangerous", "-get", "~a*", "%R~r*", "&news.*"),
                cmd("AUTH", "dave", "pw"), cmd("ACL", "WHOAMI"),
                cmd("GET", "a1"), cmd("FLUSHALL"), cmd("CLIENT", "KILL", "ID", "1"), cmd("SET", "a1", "v"),
                cmd("SET", "b1", "v"), cmd("MGET", "a1", "r1"), cmd("MSET", "a1", "1", "r1", "2"),
                cmd("STRLEN", "r1"), cmd("SET", "r1", "v"), cmd("SET", "a1", "v", "GET"),
                cmd("LMPOP", "2", "a1", "b1", "LEFT"), cmd("ZUNION", "2", "a1", "r1"),
                cmd("PUBLISH", "news.x", "m"), cmd("PUBLISH", "sport", "m"), cmd("SPUBLISH", "sport", "m"),
                cmd("GET"), cmd("NOSUCH"),
                cmd("MULTI"), cmd("GET", "a1"), cmd("SET", "a1", "v"), cmd("EXEC"),
                cmd("SUBSCRIBE", "news.x", "sport"), cmd("PSUBSCRIBE", "news.y*"), cmd("PSUBSCRIBE", "news.*"));
    }

    @Test
    void dryrunTellsWhyWithoutRunning() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "erin", "on", "nopass", "-@all", "+get", "+set", "+publish", "~k*", "&c*"),
                cmd("ACL", "DRYRUN", "erin", "get", "j"), cmd("ACL", "DRYRUN", "erin", "get", "k1"),
                cmd("ACL", "DRYRUN", "erin", "del", "k"), cmd("ACL", "DRYRUN", "erin", "publish", "x", "m"),
                cmd("ACL", "DRYRUN", "erin", "nosuchcmd"), cmd("ACL", "DRYRUN", "erin", "get"),
                cmd("ACL", "DRYRUN", "nosuch", "get", "k"), cmd("ACL", "DRYRUN", "erin", "client", "list"));
    }

    @Test
    void authSwitchesUsersAndFailuresLookTheSame() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "fred", "on", ">pw", "+@all", "~*"), cmd("ACL", "SETUSER", "fred2", "off", ">pw", "+@all"),
                cmd("AUTH", "fred", "wrong"), cmd("AUTH", "nobody", "pw"), cmd("AUTH", "fred2", "pw"),
                cmd("AUTH", "x"), cmd("AUTH", "fred", "pw"), cmd("ACL", "WHOAMI"),
                cmd("HELLO", "2", "AUTH", "fred2", "pw"), cmd("ACL", "WHOAMI"), cmd("RESET"), cmd("ACL", "WHOAMI"),
                cmd("HELLO", "2", "AUTH", "fred", "pw"), cmd("ACL", "WHOAMI"));
    }

    @Test
    void theLogGroupsLikeDenialsAndRecordsFailedLogins() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                admin.call("ACL", "LOG", "RESET");
                admin.call("ACL", "SETUSER", "gina", "on", ">pw", "-@all", "+get", "~a");
                c.call("AUTH", "gina", "pw");
                c.call("GET", "b");
                c.call("GET", "b");
                c.call("SET", "a", "1");
                c.call("AUTH", "gina", "bad");
                String log = admin.call("ACL", "LOG");
                String expected = "*3\r\n"
                        + entry(1, "auth", "AUTH", "gina") + entry(1, "command", "set", "gina") + entry(2, "key", "b", "gina");
                assertEquals(expected, log.replaceAll("\\$\\d+\r\n[0-9.e-]+\r\n\\$11\r\nclient-info\r\n\\$\\d+\r\nid=[^\r]*",
                        "AGE-AND-CLIENT"), "on port " + port);
                assertEquals("+OK\r\n", admin.call("ACL", "LOG", "RESET"));
                assertEquals("*0\r\n", admin.call("ACL", "LOG"));
            }
        }
    }

    private static String entry(long count, String reason, String object, String user) {
        return "*14\r\n$5\r\ncount\r\n:" + count + "\r\n$6\r\nreason\r\n" + CommandRunner.bulk(reason)
                + "$7\r\ncontext\r\n$8\r\ntoplevel\r\n$6\r\nobject\r\n" + CommandRunner.bulk(object)
                + "$8\r\nusername\r\n" + CommandRunner.bulk(user) + "$11\r\nage-seconds\r\nAGE-AND-CLIENT\r\n";
    }

    @Test
    void changingAUsersPermissionsAppliesToItsConnectedClientsAtOnce() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                admin.call("ACL", "SETUSER", "hank", "on", ">pw", "+@all", "~*");
                c.call("AUTH", "hank", "pw");
                assertEquals("$-1\r\n", c.call("GET", "hank-key"));
                admin.call("ACL", "SETUSER", "hank", "-get");
                assertEquals("-NOPERM this user has no permissions to run the 'get' command\r\n", c.call("GET", "hank-key"));
                admin.call("ACL", "SETUSER", "hank", "off");
                assertEquals(":0\r\n", c.call("EXISTS", "hank-key"), "off only stops new logins");
            }
        }
    }

    @Test
    void execChecksEveryQueuedCommandAgainAgainstTheRulesOfThatMoment() throws IOException {
        List<List<String>> transcripts = new ArrayList<>();
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            List<String> replies = new ArrayList<>();
            transcripts.add(replies);
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                admin.call("ACL", "SETUSER", "lena", "on", ">pw", "+@all", "~*", "&c*");
                replies.add(c.call("AUTH", "lena", "pw"));
                for (String[] queued : new String[][] {{"MULTI"}, {"GET", "k"}, {"SET", "k", "v"}, {"PUBLISH", "c1", "m"},
                        {"PING"}}) {
                    replies.add(c.call(queued));
                }
                admin.call("ACL", "SETUSER", "lena", "-get", "resetkeys", "~z", "resetchannels");
                replies.add(c.call("EXEC"));
                replies.add(admin.call("ACL", "LOG", "1").replaceAll("(?s)age-seconds.*", ""));
            }
        }
        assertEquals(transcripts.get(0), transcripts.get(1));
    }

    @Test
    void clientKillUserDisconnectsExactlyThatUsersClients() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                admin.call("ACL", "SETUSER", "mike", "on", ">pw", "+@all", "~*");
                assertEquals("-ERR No such user 'nosuch'\r\n", admin.call("CLIENT", "KILL", "USER", "nosuch"));
                assertEquals(":0\r\n", admin.call("CLIENT", "KILL", "USER", "mike"));
                c.call("AUTH", "mike", "pw");
                assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "USER", "mike"), "on port " + port);
                assertThrows(IOException.class, () -> c.call("PING"));
            }
        }
    }

    @Test
    void deletingAUserDisconnectsItsClientsEvenTheOneThatDeletedIt() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port);
                 RespConnection self = new RespConnection(port)) {
                admin.call("ACL", "SETUSER", "ivy", "on", ">pw", "+@all", "~*");
                assertEquals("+OK\r\n", c.call("AUTH", "ivy", "pw"));
                assertEquals("+OK\r\n", self.call("AUTH", "ivy", "pw"));
                assertEquals(":1\r\n", self.call("ACL", "DELUSER", "ivy"), "the reply still arrives");
                assertThrows(IOException.class, () -> self.call("PING"));
                assertThrows(IOException.class, () -> c.call("PING"), "on port " + port);
                assertEquals("+PONG\r\n", admin.call("PING"));
            }
        }
    }

    @Test
    void takingAChannelAwayDisconnectsTheUsersSubscribersOnIt() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection news = new RespConnection(port);
                 RespConnection sport = new RespConnection(port)) {
                admin.call("ACL", "SETUSER", "jack", "on", ">pw", "+@all", "~*", "resetchannels", "&news", "&sport");
                news.call("AUTH", "jack", "pw");
                sport.call("AUTH", "jack", "pw");
                news.call("SUBSCRIBE", "news");
                sport.call("SUBSCRIBE", "sport");
                admin.call("ACL", "SETUSER", "jack", "resetchannels", "&news");
                assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$1\r\nm\r\n", waitForMessage(admin, news));
                sport.timeout(2000);
                assertThrows(IOException.class, sport::readReply, "on port " + port);
            }
        }
    }

    private static String waitForMessage(RespConnection admin, RespConnection subscriber) throws IOException {
        admin.call("PUBLISH", "news", "m");
        return subscriber.readReply();
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() throws IOException {
        List<List<String>> transcripts = new ArrayList<>();
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            List<String> replies = new ArrayList<>();
            transcripts.add(replies);
            try (RespConnection admin = new RespConnection(port)) {
                replies.add(admin.call("CONFIG", "SET", "requirepass", "s3cret"));
                replies.add(admin.call("ACL", "GETUSER", "default"));
                try (RespConnection late = new RespConnection(port)) {
                    replies.add(late.call("GET", "k"));
                    replies.add(late.call("AUTH", "default", "s3cret"));
                }
                replies.add(admin.call("ACL", "SETUSER", "default", "resetpass", ">other"));
                replies.add(admin.call("CONFIG", "GET", "requirepass"));
                try (RespConnection late = new RespConnection(port)) {
                    replies.add(late.call("AUTH", "s3cret"));
                    replies.add(late.call("AUTH", "other"));
                }
                replies.add(admin.call("CONFIG", "SET", "requirepass", ""));
                replies.add(admin.call("ACL", "GETUSER", "default"));
            }
        }
        assertEquals(transcripts.get(0), transcripts.get(1));
        assertTrue(transcripts.get(1).get(1).contains(AclUser.hash("s3cret".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    @Test
    void everyCategoryListsTheCommandsRedisListsAmongThoseWeImplement() throws IOException {
        Set<String> ours = new TreeSet<>();
        for (Command command : servers.ours().server().context().commands().all()) { // what ACL CAT can list
            ours.add(command.name());
            command.subcommands().forEach(sub -> ours.add(sub.name()));
        }
        List<String> mismatches = new ArrayList<>();
        for (AclCategory category : AclCategory.values()) {
            String name = category.redisName().substring(1);
            Set<String> expected = new TreeSet<>(bulkStrings(transcript(servers.redis().port(), cmd("ACL", "CAT", name))));
            expected.retainAll(ours);
            Set<String> actual = new TreeSet<>(bulkStrings(transcript(servers.ours().port(), cmd("ACL", "CAT", name))));
            if (!expected.equals(actual)) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(actual);
                Set<String> extra = new TreeSet<>(actual);
                extra.removeAll(expected);
                mismatches.add("@" + name + ": missing " + missing + ", extra " + extra);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    private static List<String> bulkStrings(String reply) {
        List<String> values = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("$")) {
                values.add(lines[++i]);
            }
        }
        return values;
    }

    @Test
    void theAclCommandIsDescribedInTheCommandTableAsInRedis() throws IOException {
        for (String sub : List.of("setuser", "getuser", "deluser", "list", "users", "whoami", "cat", "dryrun", "genpass",
                "log", "help", "load", "save")) {
            sameOnBoth(cmd("COMMAND", "INFO", "acl|" + sub));
        }
    }

    @Test
    void configSetProtoMaxBulkLenReachesConnectionsAlreadyOpen() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection open = new RespConnection(port)) {
                assertEquals("+PONG\r\n", open.call("PING"));
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
                try {
                    open.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (1024 * 1024 + 1) + "\r\n"); // the header is enough
                    assertEquals("-ERR Protocol error: invalid bulk length\r\n", open.readReply(), "on port " + port);
                } finally {
                    admin.call("CONFIG", "SET", "proto-max-bulk-len", "512mb");
                }
            }
        }
    }

    @Test
    void jedisAndLettuceLogInWithAUsernameAndPassword() {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (Jedis admin = new Jedis("127.0.0.1", port)) {
                admin.aclSetUser("kate", "on", ">kpw", "+@all", "-flushall", "~kate:*");
            }
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals("OK", jedis.auth("kate", "kpw"));
                assertEquals("kate", jedis.aclWhoAmI());
                assertEquals("OK", jedis.set("kate:1", "v"));
                JedisDataException denied = assertThrows(JedisDataException.class, () -> jedis.get("other"));
                assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments", denied.getMessage());
                assertThrows(JedisDataException.class, () -> jedis.auth("kate", "wrong"));
            }
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withAuthentication("kate", "kpw".toCharArray()).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertEquals("v", connection.sync().get("kate:1"));
                assertEquals("kate", connection.sync().aclWhoami());
            } finally {
                client.shutdown();
            }
        }
    }
}
