// bench/failover's runner: the failover scenario N times, one CSV row per run (not part of mvn verify: its name is no *Test).
package io.port6379.server.sentinel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs {@link FailoverScenario} {@code -Dfailover.runs} times (default 20) on the nodes {@code -Dfailover.kinds}
 * names (default {@code ours,ours,ours}: master first) and appends one row per run to {@code -Dfailover.csv}. A run
 * that fails is recorded as such and the next one starts; the bench fails at the end if any run failed or if any
 * write acknowledged by {@code WAIT 2 1000} was lost, which would break the promise the chapter states.
 */
class FailoverBench {

    @Test
    void runTheFailoverManyTimesAndCountTheLoss() throws Exception {
        int runs = Integer.getInteger("failover.runs", 20);
        List<Node.Kind> kinds = Arrays.stream(System.getProperty("failover.kinds", "ours,ours,ours").split(","))
                .map(Node.Kind::parse).toList();
        Path csv = Path.of(System.getProperty("failover.csv", "target/failover.csv"));
        if (!Files.exists(csv)) {
            Files.writeString(csv, "run," + FailoverScenario.Result.CSV_HEADER + ",error\n");
        }
        int failed = 0;
        int waitedLost = 0;
        for (int run = 1; run <= runs; run++) {
            String row;
            try {
                FailoverScenario.Result result = FailoverScenario.run(kinds);
                waitedLost += result.waitedLost();
                row = run + "," + result.csv() + ",";
            } catch (Exception | AssertionError e) {
                failed++;
                row = run + "," + String.join("+", kinds.stream().map(k -> k.name().toLowerCase()).toList())
                        + ",,,,,,," + e.toString().replaceAll("[,\\s]+", " ");
            }
            Files.writeString(csv, row + "\n", StandardOpenOption.APPEND);
            System.out.println("FailoverBench: " + row);
        }
        assertEquals(0, failed, "failed runs (see " + csv + ")");
        assertEquals(0, waitedLost, "writes acknowledged by WAIT 2 1000 and lost");
    }
}
