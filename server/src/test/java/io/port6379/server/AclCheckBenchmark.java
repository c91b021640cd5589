// What the ACL check costs per command: nothing measurable for the default user, a few key matches for others.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.security.Acl;
import io.port6379.server.config.ServerConfig;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code checkDefaultUser} is {@link Acl#refusal} for the default user (everything allowed: one field read);
 * {@code checkRestrictedUser} the same for a user with {@code +@all -@dangerous ~key:*}, which reads the
 * command's bit and matches its key against the pattern. {@code getAsDefaultUser} and {@code getAsRestrictedUser}
 * run a whole GET through the dispatcher as each, to put the check in proportion.
 * Run with {@code bench/jmh server AclCheck}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AclCheckBenchmark {

    private final byte[][] get = {bytes("GET"), bytes("key:42")};
    private final RespWriter reply = new RespWriter();
    private ServerContext server;
    private Client defaultClient;
    private Client restrictedClient;
    private Command getCommand;

    @Setup
    public void setUp() throws IOException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        defaultClient = Client.detached(1, server);
        restrictedClient = Client.detached(2, server);
        Acl.of(server).setUser(defaultClient, "app", List.of("on", "nopass", "+@all", "-@dangerous", "~key:*"));
        Acl.user(restrictedClient, Acl.of(server).user("app"));
        getCommand = server.commands().lookup(get[0]);
        server.execute(defaultClient, new byte[][] {bytes("SET"), bytes("key:42"), bytes("value")}, reply);
        reply.clear();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public String checkDefaultUser() {
        return Acl.refusal(defaultClient, getCommand, get);
    }

    @Benchmark
    public String checkRestrictedUser() {
        return Acl.refusal(restrictedClient, getCommand, get);
    }

    @Benchmark
    public int getAsDefaultUser() {
        reply.clear();
        server.execute(defaultClient, get, reply);
        return reply.size();
    }

    @Benchmark
    public int getAsRestrictedUser() {
        reply.clear();
        server.execute(restrictedClient, get, reply);
        return reply.size();
    }
}
