// Proof that every stage's tests can fail: a deliberately partial answer per stage, plugged in, is rejected.
package io.port6379.exercises;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * A skeleton fails its stage for want of code ({@link SkeletonsTest}); that says nothing of an answer that works
 * for the easy cases and skips a rule the skeleton states. Each stage here gets such an answer: the reference
 * class with one rule left out, the first thing a participant forgets (a decoder without the unauthenticated
 * limits, a connection loop without the query-buffer limit, a lock released without WATCH). Plugged into the
 * server as {@code exercises/check} plugs the participant's class in, it must be rejected by the stage's tests,
 * and the test class named with it must be among those that fail: if a rule's test is lost, this fails.
 *
 * <p>To stay quick, each answer runs only against the test class that catches it ({@code --only}), and two
 * stages run at a time. The cut is made on the current reference's text: when the reference changes so that the
 * cut no longer applies, the test says so, and the cut is written again against the new text.
 */
class MinimalSolutionsTest {

    private static final Path ROOT = Path.of(System.getProperty("port6379.root")).toAbsolutePath().normalize();

    /**
     * A stage's partial answer: the reference class {@code className} with {@code cut} (which must occur once)
     * replaced by {@code replacement}; {@code rejectedBy} names the stage's test classes (separated by spaces) that
     * must each fail on it.
     */
    record Minimal(String stage, String leavesOut, String className, String cut, String replacement, String rejectedBy) {}

    static final List<Minimal> MINIMAL = List.of(
            new Minimal("01", "the limits of a client that has not authenticated yet",
                    "io.port6379.protocol.RequestDecoder", """
                            if (count > ProtocolLimits.UNAUTHENTICATED_MAX_MULTIBULK_LENGTH && authRequired) {
                                throw new ProtocolException(UNAUTHENTICATED_MULTIBULK_LENGTH);
                            }
                    """, "", "GoldenCaseTest"),
            new Minimal("01b", "RESP3: maps, sets and pushes are written as RESP2 arrays whatever the protocol",
                    "io.port6379.protocol.RespWriter",
                    "return protocolVersion == 3 ? header('%', count) : header('*', 2L * count);",
                    "return header('*', 2L * count);", "RespWriterTest"),
            new Minimal("02", "the second table during a rehash: a lookup searches the old table only",
                    "io.port6379.datastructures.Dict",
                    "return e != null || target == null ? e : findIn(target, key, hash);", "return e;", "DictProperties"),
            new Minimal("03", "lazy expiry: a key past its time is still found",
                    "io.port6379.datastructures.Keyspace", """
                            if (entry instanceof VolatileEntry v && v.expireAt <= clock.millis()) {
                                switch (expiredKeys) {
                    """, """
                            if (entry instanceof VolatileEntry v && v.expireAt < 0) {
                                switch (expiredKeys) {
                    """, "KeyspaceTest"),
            new Minimal("04", "LREM's negative count, which removes from the tail",
                    "io.port6379.datastructures.RedisList",
                    "boolean fromTail = count < 0;", "boolean fromTail = false;", "RedisListProperties"),
            new Minimal("05", "the conversion to a hash table when a field or value is too long for the listpack",
                    "io.port6379.datastructures.RedisHash",
                    "if (table == null && (field.length > limits.hashMaxListpackValue() || value.length > limits.hashMaxListpackValue())) {",
                    "if (table == null && limits == null) {", "RedisHashTest"),
            new Minimal("06", "the order after an upgrade: the wider value is appended, even a negative one",
                    "io.port6379.datastructures.IntSet",
                    "int offset = value < 0 ? 1 : 0; // negative: goes first; positive: goes last",
                    "int offset = 0;", "RedisSetTest"),
            new Minimal("07", "the spans of the lanes above a new node, so ranks drift",
                    "io.port6379.datastructures.SkipList",
                    "update[i].span(i, update[i].span(i) + 1); // higher lanes now jump over one more node",
                    "update[i].span(i, update[i].span(i));", "SkipListProperties"),
            new Minimal("08", "the arity check: a command runs with any number of arguments",
                    "io.port6379.server.Dispatcher",
                    "} else if (!command.acceptsArgumentCount(args.length)) {",
                    "} else if (command.name() == null) {", "DispatcherTest"),
            new Minimal("08b", "the query-buffer limit: a client that never ends its request grows without bound",
                    "io.port6379.server.network.ClientConnection", """
                                if (decoder.pending() > server.config().clientQueryBufferLimit()) {
                                    Log.log("#", "Closing client that reached max query buffer length: id=" + client.id());
                                    return;
                                }
                    """, "", "LimitsTest"),
            new Minimal("09", "fairness: the client that blocked last is served first",
                    "io.port6379.server.BlockingKeys",
                    "for (Waiter waiter : new ArrayList<>(queue)) {",
                    "for (Waiter waiter : new ArrayList<>(queue.reversed())) {", "BlockingCommandsTest"),
            new Minimal("10", "pattern subscribers: PUBLISH reaches channel subscribers only",
                    "io.port6379.server.pubsub.PubSub",
                    "if (Glob.matches(pattern.getKey().array(), channel.array(), false)) {",
                    "if (Glob.matches(pattern.getKey().array(), channel.array(), false) && pattern.getValue() == null) {",
                    "PubSubTest"),
            new Minimal("11", "a watched key that expires: EXEC runs although the key changed",
                    "io.port6379.server.transactions.WatchedKeys",
                    "if (expireAt >= 0 && expireAt <= now) {", "if (expireAt >= 0 && expireAt < 0) {",
                    "TransactionCommandsTest"),
            new Minimal("12", "WATCH in the lock's release: another client's lock taken between GET and DEL is deleted",
                    "io.port6379.patterns.DistributedLock",
                    "redis.watch(key); // EXEC will fail if anybody writes the key from here on, or if it expires",
                    "", "DistributedLockTest"),
            new Minimal("13", "merging key patterns: %R~k then %W~k stays two rules instead of ~k",
                    "io.port6379.server.security.AclSelector",
                    "if (Arrays.equals(existing.pattern, bytes)) {",
                    "if (Arrays.equals(existing.pattern, bytes) && permissions < 0) {", "AclUserTest"),
            new Minimal("14", "overlapping back references: a run copied in one arraycopy repeats the wrong bytes",
                    "io.port6379.server.persistence.Lzf", """
                                    for (int i = 0; i < run; i++) {
                                        out[op++] = out[from++]; // may overlap: byte by byte on purpose
                                    }
                    """, """
                                    System.arraycopy(out, from, out, op, run);
                                    op += run;
                    """, "LzfProperties"),
            new Minimal("17", "BITOP AND's padding: a shorter source counts as zeros past its end",
                    "io.port6379.datastructures.Bitmaps",
                    "Arrays.fill(result, source.length, length, (byte) 0); // the source's padding is zeros",
                    "", "BitmapsProperties BitmapCommandsTest"),
            new Minimal("18", "unsigned order: IDs past 2^63 ms compare as negative numbers",
                    "io.port6379.datastructures.StreamId",
                    "int c = Long.compareUnsigned(ms, other.ms);", "int c = Long.compare(ms, other.ms);",
                    "RedisStreamProperties StreamIdCommandsTest"),
            new Minimal("19", "which candidate goes: the pool evicts its least evictable key",
                    "io.port6379.server.eviction.EvictionPool",
                    "for (int k = SIZE - 1; k >= 0; k--) {", "for (int k = 0; k < SIZE; k++) {", "EvictionTest"),
            new Minimal("20", "the upper bound of a partial resynchronization: an offset past the stream is accepted",
                    "io.port6379.server.replication.ReplicationBacklog",
                    "return from >= firstByteOffset() && from <= offset + 1;", "return from >= firstByteOffset();",
                    "ReplicationBacklogProperties"),
            new Minimal("21", "the empty hash tag: {}user hashes the empty tag instead of the whole key",
                    "io.port6379.server.cluster.KeySlot",
                    "if (close > open + 1) { // a non-empty tag: only it is hashed",
                    "if (close > open) { // a non-empty tag: only it is hashed", "KeySlotTest KeySlotProperties"));

    @Test
    void everyStageHasAMinimalSolution() {
        List<String> stages = Stage.all(ROOT).stream().map(Stage::id).toList();
        List<String> covered = MINIMAL.stream().map(Minimal::stage).toList();
        assertEquals(stages, covered, "one minimal solution per stage of stages.conf, in its order");
    }

    @TestFactory
    Stream<DynamicTest> everyStageRejectsItsMinimalSolution() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> runs = new ArrayList<>();
        for (Minimal minimal : MINIMAL) {
            runs.add(pool.submit(() -> run(minimal)));
        }
        pool.shutdown();
        return java.util.stream.IntStream.range(0, MINIMAL.size()).mapToObj(i -> dynamicTest(
                "stage " + MINIMAL.get(i).stage() + " without " + MINIMAL.get(i).leavesOut(), () -> {
                    String problem = runs.get(i).get(200, TimeUnit.SECONDS);
                    assertTrue(problem.isEmpty(), problem);
                }));
    }

    /** Writes, compiles and grades one partial answer: "" when its stage rejects it as it should, else why not. */
    private static String run(Minimal minimal) throws IOException, InterruptedException {
        Stage stage = Stage.byId(ROOT, minimal.stage());
        Path work = ROOT.resolve("exercises/target/minimal").resolve(stage.id());
        Path sources = work.resolve("src");
        String file = minimal.className().replace('.', '/') + ".java";
        Path reference = Stage.referenceSource(ROOT, minimal.className())
                .orElseThrow(() -> new IllegalStateException("no reference class " + minimal.className()));
        String text = Files.readString(reference);
        int at = text.indexOf(minimal.cut());
        if (at < 0 || text.indexOf(minimal.cut(), at + 1) >= 0) {
            return "the cut for stage " + stage.id() + " does not occur exactly once in " + ROOT.relativize(reference)
                    + " (the reference changed; write the cut again):\n" + minimal.cut();
        }
        Files.createDirectories(sources.resolve(file).getParent());
        Files.writeString(sources.resolve(file), text.replace(minimal.cut(), minimal.replacement()));
        StageCompiler.Result compiled = StageCompiler.compile(sources, work.resolve("classes"), stage.allTestClasses(ROOT),
                String.join(File.pathSeparator, StageCheck.referenceClassPath(ROOT)));
        if (!compiled.success()) {
            return "the minimal solution of stage " + stage.id() + " does not compile:\n" + compiled.messages();
        }
        List<String> rejectedBy = new ArrayList<>();
        for (String simpleName : minimal.rejectedBy().split(" ")) {
            String name = stage.testClassNames(ROOT).stream().filter(n -> n.endsWith("." + simpleName)).findFirst().orElse(null);
            if (name == null) {
                return simpleName + " is not one of stage " + stage.id() + "'s test classes";
            }
            rejectedBy.add(name);
        }
        Path summary = work.resolve("summary.tsv");
        Path log = work.resolve("check.log");
        Files.deleteIfExists(summary);
        Process process = new ProcessBuilder(StageCheck.command(ROOT, stage, work.resolve("classes"),
                List.of("--summary", summary.toString(), "--no-shrinking", "--only", minimal.rejectedBy().replace(' ', ','))))
                .directory(stage.moduleDirectory(ROOT).toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "stage " + stage.id() + "'s tests did not finish within 150 s; see " + log;
        }
        List<String> lines = Files.exists(summary) ? Files.readAllLines(summary) : List.of();
        for (String name : rejectedBy) {
            if (process.exitValue() != 1 || lines.stream().noneMatch(line -> line.startsWith("FAIL\t" + name))) {
                return "stage " + stage.id() + " accepts a solution without " + minimal.leavesOut() + ": no test of "
                        + name.substring(name.lastIndexOf('.') + 1) + " failed (exit code " + process.exitValue() + "); see " + log;
            }
        }
        List<String> unlinked = lines.stream().filter(line -> line.matches(".*(LinkageError|NoSuchMethodError"
                + "|NoSuchFieldError|AbstractMethodError|ClassNotFoundException|UnsupportedOperationException).*")).toList();
        if (!unlinked.isEmpty()) {
            return "stage " + stage.id() + " rejected its minimal solution for a broken link, not for the rule:\n"
                    + String.join("\n", unlinked);
        }
        return "";
    }

    static {
        try {
            Files.createDirectories(ROOT.resolve("exercises/target/minimal"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
