// Every request-decoding case recorded from a real redis-server 7.0.15, byte for byte. RealRedisGoldenTest re-checks
// them live whenever redis-server is installed, so the expectations are proven, not remembered.
package io.port6379.protocol;

import java.util.ArrayList;
import java.util.List;

/** The golden cases, grouped as in chapter 01. Inputs use Java escapes; see {@link GoldenCase} for the byte rules. */
final class GoldenCases {

    private static final String INVALID_MULTIBULK = "Protocol error: invalid multibulk length";
    private static final String INVALID_BULK = "Protocol error: invalid bulk length";
    private static final String UNBALANCED = "Protocol error: unbalanced quotes in request";
    private static final String TOO_BIG_INLINE = "Protocol error: too big inline request";
    private static final String TOO_BIG_MBULK = "Protocol error: too big mbulk count string";
    private static final String TOO_BIG_BULK = "Protocol error: too big bulk count string";
    static final String PASSWORD = "secret";

    private GoldenCases() {
    }

    static List<GoldenCase> all() {
        List<GoldenCase> cases = new ArrayList<>();
        cases.addAll(multibulk());
        cases.addAll(multibulkErrors());
        cases.addAll(partialAndStalled());
        cases.addAll(tooBig());
        cases.addAll(inline());
        cases.addAll(inlineQuoting());
        cases.addAll(unauthenticated());
        return cases;
    }

    static List<GoldenCase> multibulk() {
        return List.of(
                ok("one command", "*1\r\n$4\r\nPING\r\n", cmd("PING")),
                ok("pipelined commands", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n", cmd("PING"), cmd("ECHO", "hi")),
                ok("payload is binary-safe", "*2\r\n$4\r\nECHO\r\n$5\r\na\r\n\u0000\u00ff\r\n", cmd("ECHO", "a\r\n\u0000\u00ff")),
                ok("empty command name", "*1\r\n$0\r\n\r\n", cmd("")),
                ok("two bytes after a payload are not checked", "*1\r\n$4\r\nPINGxx", cmd("PING")),
                ok("byte after a count's CR is not checked", "*1\rx$4\r\nPING\r\n", cmd("PING")),
                ok("byte after a length's CR is not checked", "*1\r\n$4\rxPING\r\n", cmd("PING")),
                ok("*0 is ignored", "*0\r\n*1\r\n$4\r\nPING\r\n", cmd("PING")),
                ok("negative count is ignored", "*-5\r\n*1\r\n$4\r\nPING\r\n", cmd("PING")),
                ok("smallest long count is ignored", "*-9223372036854775808\r\nPING\r\n", cmd("PING")),
                ok("count 2^31-1 is accepted and waits", "*2147483647\r\n"),
                ok("largest bulk length is accepted and waits", "*1\r\n$536870912\r\n"));
    }

    static List<GoldenCase> multibulkErrors() {
        return List.of(
                error("count above 2^31-1", "*2147483648\r\n", INVALID_MULTIBULK),
                error("count below the smallest long", "*-9223372036854775809\r\nPING\r\n", INVALID_MULTIBULK),
                error("count with a leading zero", "*01\r\n", INVALID_MULTIBULK),
                error("count -0", "*-0\r\nPING\r\n", INVALID_MULTIBULK),
                error("count with a plus sign", "*+1\r\n", INVALID_MULTIBULK),
                error("count with a space", "* 1\r\n", INVALID_MULTIBULK),
                error("empty count", "*\r\n", INVALID_MULTIBULK),
                error("count with letters", "*1x\r\n", INVALID_MULTIBULK),
                error("null bulk in a request", "*1\r\n$-1\r\n", INVALID_BULK),
                error("bulk length with a leading zero", "*1\r\n$01\r\n", INVALID_BULK),
                error("empty bulk length", "*1\r\n$\r\n", INVALID_BULK),
                error("bulk length with letters", "*1\r\n$abc\r\n", INVALID_BULK),
                error("bulk length above proto-max-bulk-len", "*1\r\n$536870913\r\n", INVALID_BULK),
                error("bulk length far above proto-max-bulk-len", "*1\r\n$600000000\r\n", INVALID_BULK),
                error("integer instead of bulk", "*1\r\n:5\r\n", "Protocol error: expected '$', got ':'"),
                error("simple string instead of bulk", "*1\r\n+OK\r\n", "Protocol error: expected '$', got '+'"),
                error("empty line instead of bulk", "*1\r\n\r\n", "Protocol error: expected '$', got ' '"),
                error("LF instead of bulk", "*1\r\n\n\r\n", "Protocol error: expected '$', got ' '"),
                error("high byte instead of bulk", "*1\r\n\u00ff\r\n", "Protocol error: expected '$', got '\u00ff'"),
                error("commands before an error still run", "*1\r\n$4\r\nPING\r\n*1\r\n:1\r\n",
                        "Protocol error: expected '$', got ':'", cmd("PING")));
    }

    static List<GoldenCase> partialAndStalled() {
        return List.of(
                ok("partial count", "*1"),
                ok("count without LF", "*1\r"),
                ok("non-bulk element without CR waits", "*1\r\n:5"),
                ok("partial payload", "*1\r\n$3\r\nGET"),
                ok("payload without trailer", "*1\r\n$3\r\nGET\r"),
                ok("missing element", "*2\r\n$3\r\nGET\r\n"),
                ok("NUL before a count's CR stalls", "*1\u0000\r\n*1\r\n$4\r\nPING\r\n"),
                ok("NUL instead of bulk stalls", "*1\r\n\u0000\r\n"),
                ok("NUL in an inline line stalls", "PI\u0000NG\r\nPING\r\n"));
    }

    static List<GoldenCase> tooBig() {
        return List.of(
                ok("inline line of 64 KB without newline waits", "a".repeat(65536)),
                ok("inline line of 64 KB then newline", "PING" + " ".repeat(65532) + "\n", cmd("PING")),
                error("inline line over 64 KB without newline", "a".repeat(65537), TOO_BIG_INLINE),
                error("inline error after a command", "PING\r\n" + "a".repeat(65537), TOO_BIG_INLINE, cmd("PING")),
                error("stalled inline line reaching 64 KB", "PI\u0000NG" + "a".repeat(65532), TOO_BIG_INLINE),
                ok("count line of 64 KB waits", "*" + "1".repeat(65535)),
                error("count line over 64 KB", "*" + "1".repeat(65536), TOO_BIG_MBULK),
                error("stalled count line reaching 64 KB", "*1\u0000" + "a".repeat(65534), TOO_BIG_MBULK),
                ok("length line of 64 KB waits", "*1\r\n$" + "1".repeat(65535)),
                error("length line over 64 KB", "*1\r\n$" + "1".repeat(65536), TOO_BIG_BULK),
                error("long complete length line", "*1\r\n$" + "1".repeat(65535) + "\r\n", INVALID_BULK),
                error("element without CR over 64 KB", "*1\r\n" + "x".repeat(65537), TOO_BIG_BULK));
    }

    static List<GoldenCase> inline() {
        return List.of(
                ok("inline command", "PING\r\n", cmd("PING")),
                ok("inline with LF alone", "PING\nPING\n", cmd("PING"), cmd("PING")),
                ok("blank lines are ignored", "\r\n\n   \r\n\t\r\nPING\r\n", cmd("PING")),
                ok("vertical tab and form feed are blanks", "\u000b\u000cPING\r\n", cmd("PING")),
                ok("spaces around", "  PING  \r\n", cmd("PING")),
                ok("tabs separate", "ECHO\t\tx\r\n", cmd("ECHO", "x")),
                ok("extra CR before CRLF", "ECHO x\r\r\n", cmd("ECHO", "x")),
                ok("CR inside a line separates", "ECHO a\rb\r\n", cmd("ECHO", "a", "b")),
                ok("vertical tab inside an argument", "ECHO a\u000bb\r\n", cmd("ECHO", "a\u000bb")),
                ok("raw high bytes", "ECHO \u00ff\u00fe\r\n", cmd("ECHO", "\u00ff\u00fe")),
                ok("backslash outside quotes is literal", "ECHO a\\x41\r\n", cmd("ECHO", "a\\x41")),
                ok("dollar line is an inline command", "$1\r\n", cmd("$1")),
                ok("unknown command with quoted args", "foo \"a b\" x\r\n", cmd("foo", "a b", "x")));
    }

    static List<GoldenCase> inlineQuoting() {
        return List.of(
                ok("double-quote escapes", "ECHO \"a\\nb\\r\\t\\b\\a\\\\\\\"c\"\r\n", cmd("ECHO", "a\nb\r\t\b\u0007\\\"c")),
                ok("hex escapes", "ECHO \"\\x41\\x4a\\x4G\\xz\"\r\n", cmd("ECHO", "AJx4Gxz")),
                ok("hex escapes to any byte", "ECHO \"\\xff\\x00\"\r\n", cmd("ECHO", "\u00ff\u0000")),
                ok("short hex escape", "ECHO \"\\x4\"\r\n", cmd("ECHO", "x4")),
                ok("unknown escape is the character", "ECHO \"a\\q\"\r\n", cmd("ECHO", "aq")),
                ok("CR inside double quotes", "ECHO \"a\rb\"\r\n", cmd("ECHO", "a\rb")),
                ok("single-quote escape", "ECHO 'it\\'s'\r\n", cmd("ECHO", "it's")),
                ok("no other escapes in single quotes", "ECHO 'a\\nb'\r\n", cmd("ECHO", "a\\nb")),
                ok("double quote in single quotes", "ECHO 'a\"b'\r\n", cmd("ECHO", "a\"b")),
                ok("single quote in double quotes", "ECHO \"a'b\" \r\n", cmd("ECHO", "a'b")),
                ok("empty double quotes", "ECHO \"\"\r\n", cmd("ECHO", "")),
                ok("empty single quotes", "ECHO ''\r\n", cmd("ECHO", "")),
                ok("quote opening mid-argument", "ECHO a'b c'\r\n", cmd("ECHO", "ab c")),
                ok("quote then space", "ECHO ab\"c d\" e\r\n", cmd("ECHO", "abc d", "e")),
                ok("closing quote then vertical tab", "ECHO \"a\"\u000b\r\n", cmd("ECHO", "a")),
                ok("closing quote then tab", "ECHO \"a\"\t\r\n", cmd("ECHO", "a")),
                ok("closing quote then form feed", "ECHO 'a'\u000c\r\n", cmd("ECHO", "a")),
                ok("closing quote then extra CR", "ECHO \"x\"\r\r\n", cmd("ECHO", "x")),
                error("unclosed double quote", "ECHO \"abc\r\n", UNBALANCED),
                error("closing double quote then a letter", "ECHO \"abc\"x\r\n", UNBALANCED),
                error("closing single quote then a letter", "ECHO 'abc'x\r\n", UNBALANCED),
                error("unclosed single quote", "ECHO 'abc\r\n", UNBALANCED),
                error("quote mid-argument then a letter", "ECHO ab\"c d\"e\r\n", UNBALANCED),
                error("two double-quoted parts", "ECHO \"x\"\"y\"\r\n", UNBALANCED),
                error("two single-quoted parts", "ECHO 'x''y'\r\n", UNBALANCED),
                error("escaped closing double quote", "ECHO \"\\\"\r\n", UNBALANCED),
                error("backslash at the end in double quotes", "ECHO \"a\\\r\n", UNBALANCED),
                error("escaped closing single quote", "ECHO 'a\\'\r\n", UNBALANCED),
                error("commands before unbalanced quotes still run", "PING\r\nECHO \"\r\n", UNBALANCED, cmd("PING")));
    }

    static List<GoldenCase> unauthenticated() {
        return List.of(
                auth(ok("unauthenticated: 10 arguments allowed", "*10\r\n")),
                auth(error("unauthenticated: 11 arguments refused", "*11\r\n", "Protocol error: unauthenticated multibulk length")),
                auth(ok("unauthenticated: 16384-byte bulk allowed", "*1\r\n$16384\r\n")),
                auth(error("unauthenticated: 16385-byte bulk refused", "*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length")),
                auth(error("unauthenticated: invalid count checked first", "*2147483648\r\n", INVALID_MULTIBULK)),
                auth(ok("unauthenticated: pipelined AUTH lifts the count limit", "AUTH " + PASSWORD + "\r\n*11\r\n", cmd("AUTH", PASSWORD))),
                auth(ok("unauthenticated: pipelined AUTH lifts the bulk limit",
                        "*2\r\n$4\r\nAUTH\r\n$6\r\n" + PASSWORD + "\r\n*1\r\n$16385\r\n", cmd("AUTH", PASSWORD))),
                auth(ok("unauthenticated: commands are decoded", "PING\r\n", cmd("PING"))));
    }

    private static String[] cmd(String... args) {
        return args;
    }

    private static GoldenCase ok(String name, String input, String[]... commands) {
        return new GoldenCase(name, GoldenCase.bytes(input), lists(commands), null, false);
    }

    private static GoldenCase error(String name, String input, String error, String[]... commands) {
        return new GoldenCase(name, GoldenCase.bytes(input), lists(commands), error, false);
    }

    private static List<List<String>> lists(String[][] commands) {
        return java.util.Arrays.stream(commands).map(List::of).toList();
    }

    private static GoldenCase auth(GoldenCase c) {
        return new GoldenCase(c.name(), c.input(), c.commands(), c.error(), true);
    }
}
