// The from-scratch track's stages and their black-box checks, in the order a participant builds a server.
package io.port6379.exercises.track;

import io.port6379.exercises.track.Stage.Behaviour;
import io.port6379.exercises.track.Stage.Body;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.port6379.exercises.track.Resp.EMPTY_ARRAY;
import static io.port6379.exercises.track.Resp.NIL;
import static io.port6379.exercises.track.Resp.NIL_ARRAY;
import static io.port6379.exercises.track.Resp.OK;
import static io.port6379.exercises.track.Resp.PONG;
import static io.port6379.exercises.track.Resp.QUEUED;
import static io.port6379.exercises.track.Resp.WRONGTYPE;
import static io.port6379.exercises.track.Resp.array;
import static io.port6379.exercises.track.Resp.bulk;
import static io.port6379.exercises.track.Resp.bulks;
import static io.port6379.exercises.track.Resp.command;
import static io.port6379.exercises.track.Resp.error;
import static io.port6379.exercises.track.Resp.integer;

/**
 * Every expectation here is a byte-exact reply of Redis 7.0.15: the exercises module's tests run each stage's
 * checks against a real redis-server and against the reference server, and they must pass on both; they run
 * them against a server that accepts connections and never answers, and every check from stage 02 on must
 * fail there, so that no check passes for want of a reply.
 *
 * <p>A check uses keys of its own ({@link Check#key}) and closes what it opens, since every stage's checks run on
 * one server, in order; a check that needs time to pass (an expiry, a client to block) pauses, never polls for
 * longer than its timeout.
 */
public final class Track {

    /** How long a client is given to block before another client pushes: the server must have read its BLPOP. */
    private static final long SETTLE_MILLIS = 150;

    private Track() {
    }

    /** The stages, in order. */
    public static List<Stage> stages() {
        return List.of(bind(), ping(), clients(), echo(), strings(), expiry(), pipelining(), lists(), blocking(),
                hashes(), sets(), sortedSets(), transactions(), pubSub(), persistence(), replication());
    }

    /** The stage numbered {@code number}. */
    public static Stage stage(int number) {
        return stages().stream().filter(stage -> stage.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + number + " (the track has 1 to "
                        + stages().size() + ")"));
    }

    private static Behaviour b(String name, Body body) {
        return new Behaviour(name, body);
    }

    private static Stage stage(int number, String slug, String title, String chapter, Behaviour... behaviours) {
        return new Stage(number, slug, title, chapter, null, List.of(behaviours));
    }

    // --- 01: bind ----------------------------------------------------------------------------------------------

    private static Stage bind() {
        return stage(1, "bind", "listen on a TCP port", "08 The server",
                b("accepts a TCP connection on the port given with --port", c -> c.connect()),
                b("accepts another connection after a client has gone", c -> {
                    c.connect().close();
                    c.connect();
                }));
    }

    // --- 02: PING ----------------------------------------------------------------------------------------------

    private static Stage ping() {
        return stage(2, "ping", "answer PING", "01 RESP",
                b("PING answers +PONG", c -> c.connect().expect(PONG, "PING")),
                b("a client may send PING again and again on one connection", c -> {
                    Probe client = c.connect();
                    for (int i = 0; i < 3; i++) {
                        client.expect(PONG, "PING");
                    }
                }),
                b("clients that connect one after another are each answered", c -> {
                    for (int i = 0; i < 2; i++) {
                        try (Probe client = c.connect()) {
                            client.expect(PONG, "PING");
                        }
                    }
                }));
    }

    // --- 03: many clients --------------------------------------------------------------------------------------

    private static Stage clients() {
        return stage(3, "clients", "serve many clients at once", "08 The server",
                b("two clients connected at once are both answered, the later one first", c -> {
                    Probe first = c.connect();
                    Probe second = c.connect();
                    second.expect(PONG, "PING");
                    first.expect(PONG, "PING");
                }),
                b("a client that sends nothing does not hold up the others", c -> {
                    c.connect();
                    c.connect().expect(PONG, "PING");
                    c.connect().expect(PONG, "PING");
                }),
                b("ten clients connected at once all get their PONG", c -> {
                    List<Probe> clients = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        clients.add(c.connect());
                    }
                    for (Probe client : clients.reversed()) {
                        client.send("PING");
                    }
                    for (Probe client : clients) {
                        client.expectReply(PONG);
                    }
                }),
                b("a client that leaves without reading its reply does not stop the server", c -> {
                    c.connect().send("PING").close();
                    c.connect().expect(PONG, "PING");
                }));
    }

    // --- 04: ECHO and RESP -------------------------------------------------------------------------------------

    // tag::echo-stage[]
    private static Stage echo() {
        return stage(4, "echo", "read RESP commands: ECHO", "01 RESP",
                b("ECHO answers its argument as a bulk string", c -> c.connect().expect(bulk("hey"), "ECHO", "hey")),
                b("ECHO is binary-safe: CR, LF and NUL bytes come back intact", c ->
                        c.connect().expect(bulk("a\r\nb\0c*2$"), "ECHO", "a\r\nb\0c*2$")),
                b("ECHO of an empty string answers an empty bulk string", c ->
                        c.connect().expect("$0\r\n\r\n", "ECHO", "")),
                b("command names are case-insensitive", c -> {
                    Probe client = c.connect();
                    client.expect(bulk("x"), "echo", "x");
                    client.expect(bulk("y"), "EcHo", "y");
                    client.expect(PONG, "ping");
                }),
                b("PING with an argument answers it as a bulk string", c ->
                        c.connect().expect(bulk("hello world"), "PING", "hello world")),
                b("an unknown command answers an error that names it and its first arguments", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR unknown command 'Foo', with args beginning with: 'a' 'b c' "), "Foo", "a", "b c");
                    client.expect(error("ERR unknown command 'nothing', with args beginning with: "), "nothing");
                }),
                b("a wrong number of arguments answers the arity error, with the name in lower case", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR wrong number of arguments for 'echo' command"), "ECHO");
                    client.expect(error("ERR wrong number of arguments for 'echo' command"), "EcHo", "a", "b");
                }),
                b("after an error reply the connection goes on", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR wrong number of arguments for 'echo' command"), "ECHO");
                    client.expect(PONG, "PING");
                }));
    }
    // end::echo-stage[]

    // --- 05: SET and GET ---------------------------------------------------------------------------------------

    private static Stage strings() {
        return stage(5, "strings", "store strings: SET and GET", "02 The keyspace and strings",
                b("SET answers +OK and GET returns the value", c -> {
                    Probe client = c.connect();
                    String key = c.key("fruit");
                    client.expect(OK, "SET", key, "apple");
                    client.expect(bulk("apple"), "GET", key);
                }),
                b("GET of a missing key answers the null bulk string $-1", c ->
                        c.connect().expect(NIL, "GET", c.key("missing"))),
                b("SET replaces the value of a key that exists", c -> {
                    Probe client = c.connect();
                    String key = c.key("fruit");
                    client.expect(OK, "SET", key, "apple");
                    client.expect(OK, "SET", key, "pear");
                    client.expect(bulk("pear"), "GET", key);
                }),
                b("keys and values are binary-safe", c -> {
                    Probe client = c.connect();
                    String key = c.key("k\r\n\0");
                    client.expect(OK, "SET", key, "v\0\r\n\u00ff");
                    client.expect(bulk("v\0\r\n\u00ff"), "GET", key);
                    client.expect(OK, "SET", "", "empty key");
                    client.expect(bulk("empty key"), "GET", "");
                }),
                b("every client sees the same keys", c -> {
                    String key = c.key("shared");
                    c.connect().expect(OK, "SET", key, "one keyspace");
                    c.connect().expect(bulk("one keyspace"), "GET", key);
                }),
                b("SET with an option it does not know answers -ERR syntax error", c ->
                        c.connect().expect(error("ERR syntax error"), "SET", c.key("k"), "v", "FOREVER")),
                b("GET and SET with a wrong number of arguments answer the arity error", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR wrong number of arguments for 'get' command"), "GET");
                    client.expect(error("ERR wrong number of arguments for 'get' command"), "GET", "a", "b");
                    client.expect(error("ERR wrong number of arguments for 'set' command"), "SET", "a");
                }));
    }

    // --- 06: expiry --------------------------------------------------------------------------------------------

    private static Stage expiry() {
        return stage(6, "expiry", "expire keys: PX, EX, TTL", "03 Expiry",
                b("a key SET with PX is there until its time has passed", c -> {
                    Probe client = c.connect();
                    String key = c.key("token");
                    client.expect(OK, "SET", key, "v", "PX", "10000");
                    client.expect(bulk("v"), "GET", key);
                }),
                b("a key SET with PX is gone once its time has passed", c -> {
                    Probe client = c.connect();
                    String key = c.key("short");
                    client.expect(OK, "SET", key, "v", "px", "50");
                    c.pause(200);
                    client.expect(NIL, "GET", key);
                }),
                b("TTL answers the seconds left of a key SET with EX", c -> {
                    Probe client = c.connect();
                    String key = c.key("token");
                    client.expect(OK, "SET", key, "v", "EX", "100");
                    client.expect(integer(100), "TTL", key);
                }),
                b("PTTL answers the milliseconds left", c -> {
                    Probe client = c.connect();
                    String key = c.key("token");
                    client.expect(OK, "SET", key, "v", "PX", "100000");
                    String reply = client.call("PTTL", key);
                    long left = reply.startsWith(":") ? Long.parseLong(reply.substring(1).trim()) : -1;
                    if (left <= 90_000 || left > 100_000) {
                        throw client.mismatch("an integer from 90001 to 100000, e.g. :99998\\r\\n", Resp.show(reply));
                    }
                }),
                b("TTL answers -1 for a key without expiry and -2 for a missing key", c -> {
                    Probe client = c.connect();
                    String key = c.key("forever");
                    client.expect(OK, "SET", key, "v");
                    client.expect(integer(-1), "TTL", key);
                    client.expect(integer(-2), "TTL", c.key("missing"));
                    client.expect(integer(-2), "PTTL", c.key("missing"));
                }),
                b("SET without an expiry removes the key's earlier one", c -> {
                    Probe client = c.connect();
                    String key = c.key("token");
                    client.expect(OK, "SET", key, "v", "EX", "100");
                    client.expect(OK, "SET", key, "w");
                    client.expect(integer(-1), "TTL", key);
                }),
                b("an expired key is gone for every client, read or not", c -> {
                    String key = c.key("short");
                    c.connect().expect(OK, "SET", key, "v", "PX", "50");
                    c.pause(200);
                    Probe other = c.connect();
                    other.expect(integer(-2), "TTL", key);
                    other.expect(NIL, "GET", key);
                }),
                b("an expire time must be a positive integer", c -> {
                    Probe client = c.connect();
                    String key = c.key("k");
                    client.expect(error("ERR invalid expire time in 'set' command"), "SET", key, "v", "PX", "0");
                    client.expect(error("ERR invalid expire time in 'set' command"), "SET", key, "v", "EX", "-5");
                    client.expect(error("ERR value is not an integer or out of range"), "SET", key, "v", "EX", "ten");
                    client.expect(NIL, "GET", key);
                }),
                b("EX without a value, or EX and PX together, is a syntax error", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR syntax error"), "SET", c.key("k"), "v", "EX");
                    client.expect(error("ERR syntax error"), "SET", c.key("k"), "v", "EX", "10", "PX", "100");
                }));
    }

    // --- 07: pipelining ----------------------------------------------------------------------------------------

    private static Stage pipelining() {
        return stage(7, "pipelining", "pipelining and partial reads", "08 The server",
                b("three commands in one write get three replies, in order", c -> {
                    Probe client = c.connect();
                    String key = c.key("pipelined");
                    client.sendRaw(command("SET", key, "1") + command("GET", key) + command("PING"));
                    client.expectReply(OK);
                    client.expectReply(bulk("1"));
                    client.expectReply(PONG);
                }),
                b("a thousand PINGs in one write get a thousand PONGs", c -> {
                    Probe client = c.connect();
                    client.sendRaw(command("PING").repeat(1000));
                    for (int i = 0; i < 1000; i++) {
                        client.expectReply(PONG);
                    }
                }),
                b("a command split in two writes is answered once, when it is whole", c -> {
                    Probe client = c.connect();
                    String request = command("ECHO", "split in two");
                    client.sendRaw(request.substring(0, 14));
                    c.pause(100);
                    if (client.hasUnreadBytes()) {
                        throw client.mismatch("no reply before the rest of the command", Resp.show(client.reply()));
                    }
                    client.sendRaw(request.substring(14));
                    client.expectReply(bulk("split in two"));
                    client.expect(PONG, "PING");
                }),
                b("a command sent one byte at a time is answered once", c -> {
                    Probe client = c.connect();
                    String request = command("ECHO", "byte by byte");
                    for (int i = 0; i < request.length(); i++) {
                        client.sendRaw(request.substring(i, i + 1));
                        c.pause(2);
                    }
                    client.expectReply(bulk("byte by byte"));
                    client.expect(PONG, "PING");
                }),
                b("a write that ends in half a command keeps the half for the next read", c -> {
                    Probe client = c.connect();
                    String request = command("ECHO", "second half");
                    client.sendRaw(command("PING") + command("PING") + request.substring(0, 20));
                    client.expectReply(PONG);
                    client.expectReply(PONG);
                    c.pause(50);
                    client.sendRaw(request.substring(20));
                    client.expectReply(bulk("second half"));
                }),
                b("a 1 MB value that arrives in many reads is stored whole", c -> {
                    Probe client = c.connect();
                    String key = c.key("big");
                    StringBuilder value = new StringBuilder();
                    for (int i = 0; value.length() < 1 << 20; i++) {
                        value.append(i).append(',');
                    }
                    client.expect(OK, "SET", key, value.toString());
                    client.expect(bulk(value.toString()), "GET", key);
                }));
    }

    // --- 08: lists ---------------------------------------------------------------------------------------------

    private static Stage lists() {
        return stage(8, "lists", "lists: RPUSH, LPUSH, LRANGE, LLEN, LPOP, RPOP", "04 Lists",
                b("RPUSH appends and answers the list's new length", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(2), "RPUSH", key, "a", "b");
                    client.expect(integer(3), "RPUSH", key, "c");
                    client.expect(bulks("a", "b", "c"), "LRANGE", key, "0", "-1");
                }),
                b("LPUSH prepends each value in turn", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(3), "LPUSH", key, "a", "b", "c");
                    client.expect(bulks("c", "b", "a"), "LRANGE", key, "0", "-1");
                }),
                b("LRANGE takes negative indexes and clips the ones out of range", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(5), "RPUSH", key, "a", "b", "c", "d", "e");
                    client.expect(bulks("b", "c"), "LRANGE", key, "1", "2");
                    client.expect(bulks("d", "e"), "LRANGE", key, "-2", "-1");
                    client.expect(bulks("a", "b", "c", "d", "e"), "LRANGE", key, "-100", "100");
                    client.expect(EMPTY_ARRAY, "LRANGE", key, "3", "1");
                    client.expect(EMPTY_ARRAY, "LRANGE", c.key("missing"), "0", "-1");
                }),
                b("LLEN answers the length, 0 for a missing key", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(2), "RPUSH", key, "a", "b");
                    client.expect(integer(2), "LLEN", key);
                    client.expect(integer(0), "LLEN", c.key("missing"));
                }),
                b("LPOP and RPOP remove and return an end, $-1 for a missing key", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(3), "RPUSH", key, "a", "b", "c");
                    client.expect(bulk("a"), "LPOP", key);
                    client.expect(bulk("c"), "RPOP", key);
                    client.expect(bulks("b"), "LRANGE", key, "0", "-1");
                    client.expect(NIL, "LPOP", c.key("missing"));
                }),
                b("LPOP with a count answers up to that many values as an array", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(3), "RPUSH", key, "a", "b", "c");
                    client.expect(bulks("a", "b"), "LPOP", key, "2");
                    client.expect(bulks("c"), "LPOP", key, "5");
                }),
                b("a list emptied by pops no longer exists", c -> {
                    Probe client = c.connect();
                    String key = c.key("list");
                    client.expect(integer(1), "RPUSH", key, "a");
                    client.expect(bulk("a"), "RPOP", key);
                    client.expect(NIL, "GET", key);
                    client.expect(OK, "SET", key, "a string now");
                }),
                b("a command on a key of the wrong type answers WRONGTYPE", c -> {
                    Probe client = c.connect();
                    String string = c.key("string");
                    String list = c.key("list");
                    client.expect(OK, "SET", string, "v");
                    client.expect(WRONGTYPE, "LPUSH", string, "a");
                    client.expect(WRONGTYPE, "LRANGE", string, "0", "-1");
                    client.expect(integer(1), "RPUSH", list, "a");
                    client.expect(WRONGTYPE, "GET", list);
                }));
    }

    // --- 09: blocking pops -------------------------------------------------------------------------------------

    private static Stage blocking() {
        return stage(9, "blocking", "blocking pops: BLPOP, BRPOP", "09 Blocking operations",
                b("BLPOP on a list that has values pops at once and answers [key, value]", c -> {
                    Probe client = c.connect();
                    String key = c.key("queue");
                    client.expect(integer(2), "RPUSH", key, "a", "b");
                    client.expect(bulks(key, "a"), "BLPOP", key, "0");
                }),
                b("BLPOP on an empty list answers the null array *-1 when its timeout passes", c ->
                        c.connect().expect(NIL_ARRAY, "BLPOP", c.key("queue"), "0.1")),
                b("a blocked BLPOP is woken by another client's push", c -> {
                    String key = c.key("queue");
                    Probe waiter = c.connect().send("BLPOP", key, "0");
                    c.pause(SETTLE_MILLIS);
                    Probe pusher = c.connect();
                    pusher.expect(integer(1), "RPUSH", key, "job");
                    waiter.expectReply(bulks(key, "job"));
                    pusher.expect(integer(0), "LLEN", key);
                }),
                b("clients blocked on one key are served in the order they blocked", c -> {
                    String key = c.key("queue");
                    Probe first = c.connect().send("BLPOP", key, "0");
                    c.pause(SETTLE_MILLIS);
                    Probe second = c.connect().send("BLPOP", key, "0");
                    c.pause(SETTLE_MILLIS);
                    c.connect().expect(integer(2), "RPUSH", key, "x", "y");
                    first.expectReply(bulks(key, "x"));
                    second.expectReply(bulks(key, "y"));
                }),
                b("BLPOP watches several keys and pops from the first one that has values", c -> {
                    Probe client = c.connect();
                    String empty = c.key("queue");
                    String full = c.key("queue");
                    client.expect(integer(1), "RPUSH", full, "v");
                    client.expect(bulks(full, "v"), "BLPOP", empty, full, "1");
                    Probe waiter = c.connect().send("BLPOP", empty, full, "0");
                    c.pause(SETTLE_MILLIS);
                    client.expect(integer(1), "LPUSH", full, "w");
                    waiter.expectReply(bulks(full, "w"));
                }),
                b("BRPOP pops from the tail", c -> {
                    Probe client = c.connect();
                    String key = c.key("queue");
                    client.expect(integer(2), "RPUSH", key, "a", "b");
                    client.expect(bulks(key, "b"), "BRPOP", key, "0");
                }),
                b("a client whose BLPOP timed out takes no later value", c -> {
                    Probe client = c.connect();
                    String key = c.key("queue");
                    client.expect(NIL_ARRAY, "BLPOP", key, "0.05");
                    client.expect(integer(1), "RPUSH", key, "kept");
                    client.expect(integer(1), "LLEN", key);
                }),
                b("a negative or non-numeric timeout answers an error", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR timeout is negative"), "BLPOP", c.key("queue"), "-1");
                    client.expect(error("ERR timeout is not a float or out of range"), "BLPOP", c.key("queue"), "soon");
                }));
    }

    // --- 10: hashes --------------------------------------------------------------------------------------------

    private static Stage hashes() {
        return stage(10, "hashes", "hashes: HSET, HGET, HGETALL, HDEL, HLEN", "05 Hashes",
                b("HSET answers how many fields were new; HGET returns a field's value", c -> {
                    Probe client = c.connect();
                    String key = c.key("user");
                    client.expect(integer(2), "HSET", key, "name", "ada", "born", "1815");
                    client.expect(integer(1), "HSET", key, "name", "Ada", "city", "London");
                    client.expect(bulk("Ada"), "HGET", key, "name");
                }),
                b("HGET of a missing field or key answers $-1", c -> {
                    Probe client = c.connect();
                    String key = c.key("user");
                    client.expect(integer(1), "HSET", key, "name", "ada");
                    client.expect(NIL, "HGET", key, "age");
                    client.expect(NIL, "HGET", c.key("missing"), "name");
                }),
                b("HGETALL answers every field and its value, in any order", c -> {
                    Probe client = c.connect();
                    String key = c.key("user");
                    client.expect(integer(3), "HSET", key, "name", "ada", "born", "1815", "city", "London");
                    client.expectUnordered(List.of("name", "ada", "born", "1815", "city", "London"), true, "HGETALL", key);
                    client.expect(EMPTY_ARRAY, "HGETALL", c.key("missing"));
                }),
                b("HDEL answers how many fields it removed; HLEN counts the fields", c -> {
                    Probe client = c.connect();
                    String key = c.key("user");
                    client.expect(integer(3), "HSET", key, "a", "1", "b", "2", "c", "3");
                    client.expect(integer(2), "HDEL", key, "a", "b", "nope");
                    client.expect(integer(1), "HLEN", key);
                    client.expect(integer(0), "HLEN", c.key("missing"));
                }),
                b("a hash whose last field is deleted no longer exists", c -> {
                    Probe client = c.connect();
                    String key = c.key("user");
                    client.expect(integer(1), "HSET", key, "a", "1");
                    client.expect(integer(1), "HDEL", key, "a");
                    client.expect(NIL, "GET", key);
                }),
                b("HSET with a field and no value answers the arity error", c ->
                        c.connect().expect(error("ERR wrong number of arguments for 'hset' command"), "HSET", c.key("h"), "f")),
                b("a hash command on a string, or GET on a hash, answers WRONGTYPE", c -> {
                    Probe client = c.connect();
                    String string = c.key("string");
                    String hash = c.key("hash");
                    client.expect(OK, "SET", string, "v");
                    client.expect(WRONGTYPE, "HSET", string, "f", "v");
                    client.expect(integer(1), "HSET", hash, "f", "v");
                    client.expect(WRONGTYPE, "GET", hash);
                    client.expect(WRONGTYPE, "LLEN", hash);
                }));
    }

    // --- 11: sets ----------------------------------------------------------------------------------------------

    private static Stage sets() {
        return stage(11, "sets", "sets: SADD, SREM, SISMEMBER, SMEMBERS, SCARD", "06 Sets",
                b("SADD answers how many members were new", c -> {
                    Probe client = c.connect();
                    String key = c.key("tags");
                    client.expect(integer(2), "SADD", key, "red", "blue");
                    client.expect(integer(1), "SADD", key, "blue", "green", "green");
                }),
                b("SMEMBERS answers every member once, in any order", c -> {
                    Probe client = c.connect();
                    String key = c.key("tags");
                    client.expect(integer(3), "SADD", key, "red", "blue", "green", "red");
                    client.expectUnordered(List.of("red", "blue", "green"), false, "SMEMBERS", key);
                    client.expect(EMPTY_ARRAY, "SMEMBERS", c.key("missing"));
                }),
                b("SISMEMBER answers 1 for a member and 0 otherwise", c -> {
                    Probe client = c.connect();
                    String key = c.key("tags");
                    client.expect(integer(1), "SADD", key, "red");
                    client.expect(integer(1), "SISMEMBER", key, "red");
                    client.expect(integer(0), "SISMEMBER", key, "blue");
                    client.expect(integer(0), "SISMEMBER", c.key("missing"), "red");
                }),
                b("SREM answers how many members it removed; SCARD counts the members", c -> {
                    Probe client = c.connect();
                    String key = c.key("tags");
                    client.expect(integer(3), "SADD", key, "a", "b", "c");
                    client.expect(integer(1), "SREM", key, "a", "z");
                    client.expect(integer(2), "SCARD", key);
                    client.expect(integer(0), "SCARD", c.key("missing"));
                }),
                b("a set whose last member is removed no longer exists", c -> {
                    Probe client = c.connect();
                    String key = c.key("tags");
                    client.expect(integer(1), "SADD", key, "a");
                    client.expect(integer(1), "SREM", key, "a");
                    client.expect(NIL, "GET", key);
                }),
                b("a set command on another type answers WRONGTYPE", c -> {
                    Probe client = c.connect();
                    String list = c.key("list");
                    client.expect(integer(1), "RPUSH", list, "a");
                    client.expect(WRONGTYPE, "SADD", list, "a");
                    client.expect(WRONGTYPE, "SMEMBERS", list);
                }));
    }

    // --- 12: sorted sets ---------------------------------------------------------------------------------------

    private static Stage sortedSets() {
        return stage(12, "sorted-sets", "sorted sets: ZADD, ZRANGE, ZSCORE, ZRANK, ZREM, ZCARD", "07 Sorted sets",
                b("ZADD answers how many members were new; ZSCORE returns a score", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(2), "ZADD", key, "10", "ada", "20", "bob");
                    client.expect(integer(1), "ZADD", key, "30", "ada", "5", "cy");
                    client.expect(bulk("30"), "ZSCORE", key, "ada");
                    client.expect(NIL, "ZSCORE", key, "nobody");
                }),
                b("ZRANGE answers members by score, and members of equal score in byte order", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(4), "ZADD", key, "2", "b", "1", "z", "2", "a", "3", "c");
                    client.expect(bulks("z", "a", "b", "c"), "ZRANGE", key, "0", "-1");
                    client.expect(bulks("b", "c"), "ZRANGE", key, "-2", "-1");
                    client.expect(EMPTY_ARRAY, "ZRANGE", c.key("missing"), "0", "-1");
                }),
                b("ZRANGE WITHSCORES puts each score after its member, printed as Redis prints it", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(3), "ZADD", key, "1.5", "a", "-2", "b", "1e3", "c");
                    client.expect(bulks("b", "-2", "a", "1.5", "c", "1000"), "ZRANGE", key, "0", "-1", "WITHSCORES");
                    client.expect(bulk("1.5"), "ZSCORE", key, "a");
                }),
                b("a new score moves a member", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(3), "ZADD", key, "1", "a", "2", "b", "3", "c");
                    client.expect(integer(0), "ZADD", key, "9", "a");
                    client.expect(bulks("b", "c", "a"), "ZRANGE", key, "0", "-1");
                }),
                b("ZRANK answers a member's position from 0, $-1 for a missing member", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(3), "ZADD", key, "1", "a", "2", "b", "3", "c");
                    client.expect(integer(0), "ZRANK", key, "a");
                    client.expect(integer(2), "ZRANK", key, "c");
                    client.expect(NIL, "ZRANK", key, "d");
                }),
                b("ZREM answers how many members it removed; ZCARD counts them", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(integer(3), "ZADD", key, "1", "a", "2", "b", "3", "c");
                    client.expect(integer(1), "ZREM", key, "b", "x");
                    client.expect(integer(2), "ZCARD", key);
                    client.expect(bulks("a", "c"), "ZRANGE", key, "0", "-1");
                    client.expect(integer(0), "ZCARD", c.key("missing"));
                }),
                b("a score that is not a number answers an error and adds nothing", c -> {
                    Probe client = c.connect();
                    String key = c.key("board");
                    client.expect(error("ERR value is not a valid float"), "ZADD", key, "high", "a");
                    client.expect(integer(0), "ZCARD", key);
                }),
                b("a sorted-set command on another type answers WRONGTYPE", c -> {
                    Probe client = c.connect();
                    String string = c.key("string");
                    client.expect(OK, "SET", string, "v");
                    client.expect(WRONGTYPE, "ZADD", string, "1", "a");
                    client.expect(WRONGTYPE, "ZRANGE", string, "0", "-1");
                }));
    }

    // --- 13: transactions --------------------------------------------------------------------------------------

    private static Stage transactions() {
        return stage(13, "transactions", "transactions: MULTI, EXEC, DISCARD", "11 Transactions",
                b("MULTI answers +OK and each command after it +QUEUED", c -> {
                    Probe client = c.connect();
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "SET", c.key("k"), "v");
                    client.expect(QUEUED, "PING");
                }),
                b("EXEC runs the queued commands and answers their replies in one array", c -> {
                    Probe client = c.connect();
                    String key = c.key("k");
                    String list = c.key("list");
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "SET", key, "1");
                    client.expect(QUEUED, "GET", key);
                    client.expect(QUEUED, "RPUSH", list, "a", "b");
                    client.expect(array(OK, bulk("1"), integer(2)), "EXEC");
                    client.expect(bulk("1"), "GET", key);
                }),
                b("other clients see none of the queued writes before EXEC", c -> {
                    Probe client = c.connect();
                    Probe other = c.connect();
                    String key = c.key("k");
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "SET", key, "v");
                    other.expect(NIL, "GET", key);
                    client.expect(array(OK), "EXEC");
                    other.expect(bulk("v"), "GET", key);
                }),
                b("DISCARD drops the queue", c -> {
                    Probe client = c.connect();
                    String key = c.key("k");
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "SET", key, "v");
                    client.expect(OK, "DISCARD");
                    client.expect(NIL, "GET", key);
                }),
                b("EXEC or DISCARD without MULTI, and MULTI inside MULTI, answer errors", c -> {
                    Probe client = c.connect();
                    client.expect(error("ERR EXEC without MULTI"), "EXEC");
                    client.expect(error("ERR DISCARD without MULTI"), "DISCARD");
                    client.expect(OK, "MULTI");
                    client.expect(error("ERR MULTI calls can not be nested"), "MULTI");
                    client.expect(QUEUED, "PING");
                    client.expect(array(PONG), "EXEC");
                }),
                b("EXEC of an empty transaction answers an empty array", c -> {
                    Probe client = c.connect();
                    client.expect(OK, "MULTI");
                    client.expect(EMPTY_ARRAY, "EXEC");
                }),
                b("a command refused while queueing makes EXEC abort the whole transaction", c -> {
                    Probe client = c.connect();
                    String key = c.key("k");
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "SET", key, "v");
                    client.expect(error("ERR unknown command 'NOSUCH', with args beginning with: "), "NOSUCH");
                    client.expect(error("ERR wrong number of arguments for 'get' command"), "GET");
                    client.expect(error("EXECABORT Transaction discarded because of previous errors."), "EXEC");
                    client.expect(NIL, "GET", key);
                }),
                b("a command that fails while EXEC runs leaves the others to run", c -> {
                    Probe client = c.connect();
                    String string = c.key("string");
                    String key = c.key("k");
                    client.expect(OK, "SET", string, "v");
                    client.expect(OK, "MULTI");
                    client.expect(QUEUED, "LPUSH", string, "a");
                    client.expect(QUEUED, "SET", key, "after");
                    client.expect(array(WRONGTYPE, OK), "EXEC");
                    client.expect(bulk("after"), "GET", key);
                }));
    }

    // --- 14: pub/sub -------------------------------------------------------------------------------------------

    private static String subscribed(String kind, String channel, long count) {
        return array(bulk(kind), bulk(channel), integer(count));
    }

    private static String message(String channel, String payload) {
        return bulks("message", channel, payload);
    }

    private static Stage pubSub() {
        return stage(14, "pubsub", "pub/sub: SUBSCRIBE, UNSUBSCRIBE, PUBLISH", "10 Pub/sub",
                b("SUBSCRIBE confirms each channel with the client's count of channels", c -> {
                    Probe client = c.connect();
                    String news = c.key("news");
                    String sport = c.key("sport");
                    client.send("SUBSCRIBE", news, sport);
                    client.expectReply(subscribed("subscribe", news, 1));
                    client.expectReply(subscribed("subscribe", sport, 2));
                }),
                b("PUBLISH delivers to every subscriber and answers how many received it", c -> {
                    String channel = c.key("news");
                    Probe first = c.connect();
                    Probe second = c.connect();
                    first.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    second.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    c.connect().expect(integer(2), "PUBLISH", channel, "hello");
                    first.expectReply(message(channel, "hello"));
                    second.expectReply(message(channel, "hello"));
                }),
                b("PUBLISH to a channel nobody listens to answers 0", c ->
                        c.connect().expect(integer(0), "PUBLISH", c.key("empty"), "anyone?")),
                b("messages arrive in the order they were published", c -> {
                    String channel = c.key("news");
                    Probe subscriber = c.connect();
                    subscriber.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    Probe publisher = c.connect();
                    for (int i = 1; i <= 3; i++) {
                        publisher.expect(integer(1), "PUBLISH", channel, "m" + i);
                    }
                    for (int i = 1; i <= 3; i++) {
                        subscriber.expectReply(message(channel, "m" + i));
                    }
                }),
                b("a subscribed client may only subscribe, unsubscribe, PING, QUIT or RESET", c -> {
                    String channel = c.key("news");
                    Probe client = c.connect();
                    client.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    client.expect(error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT"
                            + " / RESET are allowed in this context"), "GET", "k");
                }),
                b("PING in subscribed mode answers [pong, \"\"]", c -> {
                    String channel = c.key("news");
                    Probe client = c.connect();
                    client.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    client.expect(bulks("pong", ""), "PING");
                }),
                b("UNSUBSCRIBE confirms with the count left, and at 0 every command works again", c -> {
                    String news = c.key("news");
                    String sport = c.key("sport");
                    Probe client = c.connect();
                    client.send("SUBSCRIBE", news, sport);
                    client.expectReply(subscribed("subscribe", news, 1));
                    client.expectReply(subscribed("subscribe", sport, 2));
                    client.send("UNSUBSCRIBE", news).expectReply(subscribed("unsubscribe", news, 1));
                    client.send("UNSUBSCRIBE", sport).expectReply(subscribed("unsubscribe", sport, 0));
                    client.expect(PONG, "PING");
                    client.expect(NIL, "GET", c.key("k"));
                    c.connect().expect(integer(0), "PUBLISH", news, "gone");
                }),
                b("a subscriber that disconnects no longer counts", c -> {
                    String channel = c.key("news");
                    Probe subscriber = c.connect();
                    subscriber.send("SUBSCRIBE", channel).expectReply(subscribed("subscribe", channel, 1));
                    subscriber.close();
                    Probe publisher = c.connect();
                    String reply = "";
                    for (int attempt = 0; attempt < 40 && !reply.equals(integer(0)); attempt++) {
                        c.pause(50);
                        reply = publisher.call("PUBLISH", channel, "anyone?");
                    }
                    if (!reply.equals(integer(0))) {
                        throw publisher.mismatch(":0\\r\\n within 2 s of the subscriber's disconnection", Resp.show(reply));
                    }
                }));
    }

    // --- 15: RDB persistence -----------------------------------------------------------------------------------

    /**
     * The dump the persistence stage loads, written by redis-server 7.0.15 (RDB version 10) after:
     * <pre>
     * SET fruit apple · SET counter 42 · SET negative -7 · SET big 70000 · SET huge 3000000000 · SET pi 3.14
     * SET long "aaaa…(60 a)bbbb…(28 b)" · SET ticket token PXAT 4102444800000 (the year 2100)
     * SET gone old PXAT 1600000000000 (2020, written with active expiry off) · SET "key with spaces" "value with spaces"
     * </pre>
     */
    static final String DUMP = "dump.rdb";

    private static final String LONG_VALUE = "a".repeat(60) + "b".repeat(28);

    private static Stage persistence() {
        Stage.Setup withDump = directory -> {
            try (InputStream dump = Track.class.getResourceAsStream(DUMP)) {
                Files.copy(dump, directory.resolve(DUMP));
            }
            return List.of("--dir", directory.toString(), "--dbfilename", DUMP);
        };
        return new Stage(15, "rdb", "load a dump.rdb written by redis-server", "14 Persistence", withDump, List.of(
                b("KEYS * lists every key of the file", c -> c.connect().expectUnordered(List.of("fruit", "counter",
                        "negative", "big", "huge", "pi", "long", "ticket", "key with spaces"), false, "KEYS", "*")),
                b("a string value reads back", c -> {
                    Probe client = c.connect();
                    client.expect(bulk("apple"), "GET", "fruit");
                    client.expect(bulk("value with spaces"), "GET", "key with spaces");
                    client.expect(bulk("3000000000"), "GET", "huge");
                    client.expect(bulk("3.14"), "GET", "pi");
                }),
                b("a value stored as an 8-, 16- or 32-bit integer reads back as its digits", c -> {
                    Probe client = c.connect();
                    client.expect(bulk("42"), "GET", "counter");
                    client.expect(bulk("-7"), "GET", "negative");
                    client.expect(bulk("70000"), "GET", "big");
                }),
                b("a value stored LZF-compressed reads back whole", c ->
                        c.connect().expect(bulk(LONG_VALUE), "GET", "long")),
                b("a key with an expiry time in the future keeps it", c -> {
                    Probe client = c.connect();
                    client.expect(bulk("token"), "GET", "ticket");
                    String reply = client.call("TTL", "ticket");
                    if (!reply.startsWith(":") || Long.parseLong(reply.substring(1).trim()) < 1_000_000) {
                        throw client.mismatch("the seconds left until 2100, e.g. :2300000000\\r\\n", Resp.show(reply));
                    }
                }),
                b("a key whose expiry time has passed is not loaded", c -> c.connect().expect(NIL, "GET", "gone")),
                b("keys read from the file can be changed like any other", c -> {
                    Probe client = c.connect();
                    client.expect(OK, "SET", "fruit", "pear");
                    client.expect(bulk("pear"), "GET", "fruit");
                }),
                b("without a dump file the server starts empty", c -> {
                    Path empty = c.temporaryDirectory();
                    Probe client = c.connectToAnotherServer(List.of("--dir", empty.toString(), "--dbfilename", DUMP));
                    client.expect(EMPTY_ARRAY, "KEYS", "*");
                })));
    }

    // --- 16: replication handshake -----------------------------------------------------------------------------

    /** A replication ID: 40 hexadecimal characters, then the offset the replica starts from. */
    private static final String FULLRESYNC = "\\+FULLRESYNC [0-9a-f]{40} [0-9]+\r\n";

    /** How long a server started with --replicaof is given to connect to its master (Redis tries once a second). */
    private static final int REPLICA_CONNECT_MILLIS = 3000;

    /**
     * Both sides of a replica's first synchronization. As a master, the server answers a replica's handshake (the
     * grader plays the replica) and streams its writes; as a replica (started with {@code --replicaof}), it
     * connects to the grader, which plays the master, loads the RDB it is sent and applies the stream.
     */
    private static Stage replication() {
        // Its own server, with a directory: a master without the "eof" capability from its replica saves the RDB
        // to disk before sending it.
        Stage.Setup withDirectory = directory -> List.of("--dir", directory.toString());
        return new Stage(16, "replication", "the replication handshake, as master and as replica", "20 Replication",
                withDirectory, List.of(
                b("a master answers the replica's PING and REPLCONF with +PONG and +OK", c -> {
                    Probe replica = c.connect();
                    replica.expect(PONG, "PING");
                    replica.expect(OK, "REPLCONF", "listening-port", "6380");
                    replica.expect(OK, "REPLCONF", "capa", "psync2");
                }),
                b("PSYNC ? -1 answers +FULLRESYNC <replication id> <offset>, then the RDB file as $<length> and its bytes",
                        c -> {
                    Probe replica = handshake(c);
                    byte[] rdb = replica.rdbTransfer();
                    if (rdb.length < 9 || !new String(rdb, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("REDIS")) {
                        throw replica.mismatch("an RDB file, starting with REDIS and its version (REDIS0010)",
                                Resp.show(new String(rdb, 0, Math.min(rdb.length, 20), java.nio.charset.StandardCharsets.ISO_8859_1)));
                    }
                }),
                b("a write after the synchronization reaches the replica as the command itself (after a SELECT)", c -> {
                    Probe replica = handshake(c);
                    replica.rdbTransfer();
                    String key = c.key("replicated");
                    c.connect().expect(OK, "SET", key, "hello");
                    expectStreamed(replica, command("SET", key, "hello"));
                }),
                b("writes reach the replica in the order they ran; reads and refused commands are not sent", c -> {
                    Probe replica = handshake(c);
                    replica.rdbTransfer();
                    String list = c.key("queue");
                    String key = c.key("counter");
                    Probe client = c.connect();
                    client.expect(NIL, "GET", key);
                    client.expect(integer(2), "RPUSH", list, "a", "b");
                    client.expect(error("ERR wrong number of arguments for 'rpush' command"), "RPUSH", list);
                    client.expect(bulk("a"), "LPOP", list);
                    client.expect(OK, "SET", key, "1");
                    expectStreamed(replica, command("RPUSH", list, "a", "b"));
                    for (String next : List.of(command("LPOP", list), command("SET", key, "1"))) {
                        String got = replica.reply();
                        if (!got.equals(next)) {
                            throw replica.mismatch(Resp.show(next), Resp.show(got));
                        }
                    }
                }),
                b("started with --replicaof, it connects and sends PING, REPLCONF listening-port, REPLCONF capa, PSYNC ? -1",
                        Track::replicaAfterHandshake),
                b("a replica loads the RDB file its master sends and applies the commands that follow", c -> {
                    ReplicaLink link = replicaAfterHandshake(c);
                    Probe client = link.client();
                    Probe replica = link.replica();
                    fullResync(replica);
                    replica.sendRaw(command("SELECT", "0") + command("SET", "streamed", "from the master")
                            + command("RPUSH", "tasks", "one", "two"));
                    awaitReply(c, client, bulk("from the master"), "GET", "streamed");
                    client.expect(bulk("apple"), "GET", "fruit");
                    client.expect(bulks("one", "two"), "LRANGE", "tasks", "0", "-1");
                }),
                b("a replica refuses its clients' writes: -READONLY", c -> {
                    ReplicaLink link = replicaAfterHandshake(c);
                    Probe client = link.client();
                    Probe replica = link.replica();
                    fullResync(replica);
                    awaitReply(c, client, bulk("apple"), "GET", "fruit");
                    client.expect(error("READONLY You can't write against a read only replica."), "SET", "fruit", "pear");
                    client.expect(bulk("apple"), "GET", "fruit");
                })));
    }

    /** The replica's side of the handshake, up to the +FULLRESYNC line. */
    private static Probe handshake(Check c) throws java.io.IOException {
        Probe replica = c.connect();
        replica.expect(PONG, "PING");
        replica.expect(OK, "REPLCONF", "listening-port", "6380");
        replica.expect(OK, "REPLCONF", "capa", "psync2");
        String reply = replica.send("PSYNC", "?", "-1").skipKeepAliveNewlines().reply();
        if (!reply.matches(FULLRESYNC)) {
            throw replica.mismatch("+FULLRESYNC, 40 hexadecimal characters, an offset: "
                    + "+FULLRESYNC 8371b4fb1155b71f4a04d3e1bc3e18c4a990aeeb 0\\r\\n", Resp.show(reply));
        }
        return replica;
    }

    /** The next command of the replication stream, after the SELECT that a master sends before a database's first. */
    private static void expectStreamed(Probe replica, String expected) throws java.io.IOException {
        String got = replica.reply();
        if (got.equals(command("SELECT", "0"))) {
            got = replica.reply();
        }
        if (!got.equals(expected)) {
            throw replica.mismatch(Resp.show(expected) + " (after an optional SELECT 0)", Resp.show(got));
        }
    }

    /** A second server of the participant's, started as the replica of a master the grader plays; its clients' probe. */
    private record ReplicaLink(Probe client, Probe replica) {
    }

    /** Starts the second server with {@code --replicaof} the grader's socket, accepts its link and checks its handshake. */
    private static ReplicaLink replicaAfterHandshake(Check c) throws Exception {
        ServerSocket master = c.listen();
        Probe client = c.connectToAnotherServer(List.of("--dir", c.temporaryDirectory().toString(),
                "--replicaof", "127.0.0.1", Integer.toString(master.getLocalPort())));
        Probe replica = c.accept(master, REPLICA_CONNECT_MILLIS + c.timeoutMillis());
        expectHandshake(replica, client.port());
        return new ReplicaLink(client, replica);
    }

    /** The master's side: reads the replica's four commands in order and answers each as Redis does. */
    private static void expectHandshake(Probe replica, int replicaPort) throws java.io.IOException {
        String ping = replica.reply();
        if (!ping.equals(command("PING"))) {
            throw replica.mismatch("the replica's first command, PING: " + Resp.show(command("PING")), Resp.show(ping));
        }
        replica.sendRaw(PONG);
        List<String> port = Resp.bulkArray(replica.reply());
        if (port == null || !port.equals(List.of("REPLCONF", "listening-port", Integer.toString(replicaPort)))) {
            throw replica.mismatch("REPLCONF listening-port " + replicaPort + " (the replica's own port)", String.valueOf(port));
        }
        replica.sendRaw(OK);
        List<String> capa = Resp.bulkArray(replica.reply());
        if (capa == null || capa.size() < 3 || !capa.get(0).equalsIgnoreCase("REPLCONF") || !capa.get(1).equalsIgnoreCase("capa")) {
            throw replica.mismatch("REPLCONF capa psync2 (Redis sends REPLCONF capa eof capa psync2)", String.valueOf(capa));
        }
        replica.sendRaw(OK);
        List<String> psync = Resp.bulkArray(replica.reply());
        if (psync == null || !psync.equals(List.of("PSYNC", "?", "-1"))) {
            throw replica.mismatch("PSYNC ? -1 (no replication ID known yet, so no offset)", String.valueOf(psync));
        }
    }

    /** The master's answer to PSYNC: +FULLRESYNC, then the track's dump.rdb as the RDB file. */
    private static void fullResync(Probe replica) throws java.io.IOException {
        byte[] rdb;
        try (InputStream dump = Track.class.getResourceAsStream(DUMP)) {
            rdb = dump.readAllBytes();
        }
        replica.sendRaw("+FULLRESYNC 8371b4fb1155b71f4a04d3e1bc3e18c4a990aeeb 0\r\n$" + rdb.length + "\r\n"
                + new String(rdb, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code command} until it answers {@code expected}, for as long as a reply may take: the replica loads first. */
    private static void awaitReply(Check c, Probe client, String expected, String... command)
            throws java.io.IOException, InterruptedException {
        String got = "";
        for (long waited = 0; waited <= c.timeoutMillis() && !got.equals(expected); waited += 50) {
            got = client.call(command);
            if (!got.equals(expected)) {
                c.pause(50);
            }
        }
        if (!got.equals(expected)) {
            throw client.mismatch(Resp.show(expected) + " within " + c.timeoutMillis() + " ms", Resp.show(got));
        }
    }
}
