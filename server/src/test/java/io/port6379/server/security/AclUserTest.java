// ACL rules one at a time: what each does to a user, how ACL LIST writes the user back, and the permission check.
package io.port6379.server.security;

import io.port6379.server.Command;
import io.port6379.server.CommandRunner;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tests without a socket. The expected ACL LIST lines were taken from redis-server 7.0.15 (the dual-target
 * {@link AclTest} re-checks the same kind of lines against a live one).
 */
class AclUserTest {

    private final CommandRunner runner = new CommandRunner();
    private final AclCommandIndex index = Acl.of(runner.server).index();

    private AclUser user(String... rules) {
        AclUser user = new AclUser("u", index);
        for (String rule : rules) {
            user.apply(rule);
        }
        return user;
    }

    private Command command(String name) {
        return index.lookup(name);
    }

    private static byte[][] args(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return bytes;
    }

    @Test
    void aNewUserIsOffAndMayDoNothing() {
        assertEquals("user u off resetchannels -@all", user().describe());
        assertEquals(AclSelector.Denial.Kind.COMMAND, user().selector().check(command("ping"), args("ping")).kind());
    }

    @Test
    void theDefaultUserIsDescribedAsRedisDescribesIt() {
        assertEquals("user default on nopass ~* &* +@all", Acl.of(runner.server).defaultUser().describe());
        assertTrue(Acl.of(runner.server).defaultUser().unrestricted());
    }

    @Test
    void listNamesCategoriesFirstAndThenTheCommandsThatDiffer() {
        // single commands come in command-table order; Redis's order is its hash table's, random per process
        assertEquals("user u off resetchannels -@all +@read -get +set",
                user("+@read", "-get", "+set").describe());
        assertEquals("user u off resetchannels +@all -@dangerous -@string +get",
                user("+@all", "-@string", "+get", "-@dangerous", "+@hash").describe());
        assertEquals("user u off resetchannels -@all +@write", user("-@all", "+@read", "+@write", "-@read").describe());
        assertEquals("user u off resetchannels -@all", user("-@all", "+@string", "-@string").describe());
    }

    @Test
    void aContainerCarriesItsSubcommandsAndASubcommandCanBeTakenBack() {
        AclUser user = user("-@all", "+client", "-client|kill", "+@read", "-@read");
        assertEquals("-@all +client -client|kill", user.selector().describeCommands());
        assertNull(user.selector().check(command("client|id"), args("client", "id")));
        assertEquals(AclSelector.Denial.Kind.COMMAND,
                user.selector().check(command("client|kill"), args("client", "kill", "x")).kind());
    }

    @Test
    void firstArgumentsAllowOneFormOfADeniedCommandUntilTheCommandItselfChanges() {
        AclUser user = user("+select|0", "+select|ABC", "+select|abc");
        assertEquals("-@all +select|0 +select|ABC", user.selector().describeCommands());
        assertNull(user.selector().check(command("select"), args("SELECT", "abc")));
        assertEquals(AclSelector.Denial.Kind.COMMAND, user.selector().check(command("select"), args("SELECT", "1")).kind());
        assertEquals("-@all +select", user("+select|0", "+select").selector().describeCommands());
        assertEquals("-@all", user("+select|0", "-select").selector().describeCommands());
    }

    @Test
    void keyPatternsMergeTheirPermissionsAndKeepTheirOrder() {
        assertEquals("~a %R~b ~", user("%R~a", "%W~a", "%R~b", "%RW").selector().describeKeys());
        assertEquals("%R~k %W~j", user("%R~k", "%r~k", "%w~j").selector().describeKeys());
        assertEquals("~* ~", user("%RW~*", "~").selector().describeKeys(), "%RW~* is a pattern, not allkeys");
    }

    @Test
    void readAndWritePermissionsFollowTheKeySpecifications() {
        AclUser user = user("+@all", "%R~r*", "%W~w*");
        assertNull(user.selector().check(command("get"), args("get", "r1")));
        assertEquals(new AclSelector.Denial(AclSelector.Denial.Kind.KEY, 1),
                user.selector().check(command("get"), args("get", "w1")));
        assertNull(user.selector().check(command("set"), args("set", "w1", "v")), "SET without GET only writes (Redis narrows its VARIABLE_FLAGS spec)");
        assertEquals(new AclSelector.Denial(AclSelector.Denial.Kind.KEY, 2),
                user.selector().check(command("mget"), args("mget", "r1", "w1")));
    }

    @Test
    void keysAfterNumkeysAreChecked() {
        AclUser user = user("+@all", "~a*");
        assertNull(user.selector().check(command("zunion"), args("zunion", "2", "a1", "a2")));
        assertEquals(new AclSelector.Denial(AclSelector.Denial.Kind.KEY, 3),
                user.selector().check(command("lmpop"), args("lmpop", "2", "a1", "b1", "LEFT")));
        assertEquals(new AclSelector.Denial(AclSelector.Denial.Kind.KEY, 1),
                user.selector().check(command("zunionstore"), args("zunionstore", "b", "1", "a1")));
    }

    @Test
    void channelsMatchAsGlobsButPatternsOnlyLiterally() {
        AclUser user = user("+@all", "allkeys", "&news.*");
        assertNull(user.selector().check(command("publish"), args("publish", "news.x", "m")));
        assertEquals(AclSelector.Denial.Kind.CHANNEL,
                user.selector().check(command("subscribe"), args("subscribe", "news.x", "other")).kind());
        assertNull(user.selector().check(command("psubscribe"), args("psubscribe", "news.*")));
        assertEquals(AclSelector.Denial.Kind.CHANNEL,
                user.selector().check(command("psubscribe"), args("psubscribe", "news.a*")).kind());
        assertNull(user.selector().check(command("unsubscribe"), args("unsubscribe", "anything")));
    }

    @Test
    void passwordsAreKeptAsSha256AndOrderOfRulesMatters() {
        AclUser user = user("on", ">pw", ">pw", ">other", "<other");
        assertEquals(List.of(AclUser.hash("pw".getBytes(StandardCharsets.US_ASCII))), user.passwords());
        assertTrue(user.accepts("pw".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(user.accepts("other".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of("off", "nopass"), user("on", ">x", "off", "nopass").flags());
        assertTrue(user(">a", "nopass").passwords().isEmpty());
        assertEquals(1, user("nopass", ">a").passwords().size());
        assertFalse(user(">a", "nopass", "off").accepts(new byte[0]), "a disabled user never logs in");
    }

    @Test
    void resetLeavesAnOffUserThatSanitizesPayloads() {
        assertEquals("user u off sanitize-payload resetchannels -@all",
                user("on", ">pw", "~*", "&*", "+@all", "reset").describe());
    }

    @Test
    void invalidRulesAreRefusedWithRedissReasons() {
        assertEquals(AclUser.InvalidRule.SYNTAX, assertThrows(AclUser.InvalidRule.class, () -> user("%~c")).getMessage());
        assertEquals(AclUser.InvalidRule.SYNTAX, assertThrows(AclUser.InvalidRule.class, () -> user("%RX~d")).getMessage());
        assertEquals(AclUser.InvalidRule.SYNTAX, assertThrows(AclUser.InvalidRule.class, () -> user("bogus")).getMessage());
        assertEquals(AclUser.InvalidRule.SYNTAX, assertThrows(AclUser.InvalidRule.class, () -> user("+get|")).getMessage());
        assertEquals(AclUser.InvalidRule.UNKNOWN, assertThrows(AclUser.InvalidRule.class, () -> user("+nosuch")).getMessage());
        assertEquals(AclUser.InvalidRule.UNKNOWN, assertThrows(AclUser.InvalidRule.class, () -> user("-@")).getMessage());
        assertEquals(AclUser.InvalidRule.UNKNOWN, assertThrows(AclUser.InvalidRule.class, () -> user("-select|0")).getMessage());
        assertEquals(AclUser.InvalidRule.FIRST_ARG_OF_SUBCOMMAND,
                assertThrows(AclUser.InvalidRule.class, () -> user("+client|id|x")).getMessage());
        assertEquals(AclUser.InvalidRule.KEYS_AFTER_ALL,
                assertThrows(AclUser.InvalidRule.class, () -> user("allkeys", "%R~e")).getMessage());
        assertEquals(AclUser.InvalidRule.CHANNELS_AFTER_ALL,
                assertThrows(AclUser.InvalidRule.class, () -> user("allchannels", "&f")).getMessage());
        assertEquals(AclUser.InvalidRule.BAD_HASH, assertThrows(AclUser.InvalidRule.class, () -> user("#abc")).getMessage());
        assertEquals(AclUser.InvalidRule.NO_SUCH_PASSWORD,
                assertThrows(AclUser.InvalidRule.class, () -> user("<nope")).getMessage());
    }

    @Test
    void setuserIsAllOrNothing() {
        assertEquals("+OK\r\n", runner.run("ACL", "SETUSER", "a", "on", "+get"));
        assertEquals("-ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL\r\n",
                runner.run("ACL", "SETUSER", "a", "off", "+set", "+nosuch"));
        assertEquals("user a on resetchannels -@all +get", Acl.of(runner.server).user("a").describe());
        assertEquals("$-1\r\n", runner.run("ACL", "GETUSER", "b"));
        assertEquals("-ERR Error in ACL SETUSER modifier 'bogus': Syntax error\r\n", runner.run("ACL", "SETUSER", "b", "bogus"));
        assertNull(Acl.of(runner.server).user("b"), "a failed SETUSER creates no user");
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        runner.run("CONFIG", "SET", "requirepass", "s3cret");
        assertEquals("user default on #" + AclUser.hash("s3cret".getBytes(StandardCharsets.US_ASCII)) + " ~* &* +@all",
                Acl.of(runner.server).defaultUser().describe());
        runner.run("CONFIG", "SET", "requirepass", "");
        assertEquals("user default on nopass ~* &* +@all", Acl.of(runner.server).defaultUser().describe());
    }
}
