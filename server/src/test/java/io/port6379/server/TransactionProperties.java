// Property: a transaction's effects are those of running its commands one after another at EXEC, with nothing in between.
package io.port6379.server;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The law of MULTI/EXEC: queue commands while another client keeps writing, then EXEC; the result must be as if
 * the other client's writes had all happened first and then the queued commands had run back to back. The
 * model is a second server that gets exactly that sequence without any transaction. EXEC's reply must equal
 * the model's replies (as one array), and both keyspaces must end equal. Commands mix types, so some fail at
 * run time (WRONGTYPE, not an integer) and must leave their error in place while the rest still runs.
 */
class TransactionProperties {

    private static final List<String> KEYS = List.of("a", "b", "c");

    /** One command: who runs it (the transaction's client or the other one) and its arguments. */
    record Step(boolean inTransaction, List<String> args) {
    }

    @Property(tries = 300)
    void execEqualsTheQueuedCommandsRunBackToBack(@ForAll("histories") List<Step> history) {
        CommandRunner transactional = new CommandRunner();
        Client other = transactional.newClient();
        CommandRunner model = new CommandRunner();

        assertEquals(CommandRunner.OK, transactional.run("MULTI"));
        List<List<String>> queued = new ArrayList<>();
        for (Step step : history) {
            if (step.inTransaction()) {
                assertEquals("+QUEUED\r\n", transactional.run(step.args().toArray(String[]::new)));
                queued.add(step.args());
            } else {
                String reply = transactional.runAs(other, step.args().toArray(String[]::new));
                assertEquals(model.run(step.args().toArray(String[]::new)), reply, "the other client is not held up");
            }
        }
        StringBuilder expected = new StringBuilder("*" + queued.size() + "\r\n");
        for (List<String> command : queued) {
            expected.append(model.run(command.toArray(String[]::new)));
        }
        assertEquals(expected.toString(), transactional.run("EXEC"));
        for (String key : KEYS) {
            assertEquals(dump(model, key), dump(transactional, key), "key " + key);
        }
    }

    private static String dump(CommandRunner runner, String key) {
        String type = runner.run("TYPE", key);
        return type + switch (type) {
            case "+string\r\n" -> runner.run("GET", key);
            case "+list\r\n" -> runner.run("LRANGE", key, "0", "-1");
            case "+set\r\n" -> runner.run("SMEMBERS", key);
            default -> "";
        };
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<String> value = Arbitraries.of("1", "2", "x", "-5");
        Arbitrary<List<String>> command = Arbitraries.oneOf(
                Combinators.combine(key, value).as((k, v) -> List.of("SET", k, v)),
                key.map(k -> List.of("INCR", k)),
                Combinators.combine(key, value).as((k, v) -> List.of("APPEND", k, v)),
                key.map(k -> List.of("DEL", k)),
                Combinators.combine(key, value).as((k, v) -> List.of("LPUSH", k, v)),
                key.map(k -> List.of("RPOP", k)),
                Combinators.combine(key, value).as((k, v) -> List.of("SADD", k, v)),
                key.map(k -> List.of("GET", k)),
                Combinators.combine(key, key).as((k, l) -> List.of("RENAME", k, l)));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(true, false), command).as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(20);
    }
}
