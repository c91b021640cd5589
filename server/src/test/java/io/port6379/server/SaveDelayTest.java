// rdb-key-save-delay, the test hook Redis's own suite uses to keep a BGSAVE running, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** 200 keys at 10 ms each: the save is still running after half a second, and ends once the keys are written. */
class SaveDelayTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void rdbKeySaveDelayKeepsABackgroundSaveRunning() throws Exception {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("EVAL", "for i=1,200 do redis.call('set','k'..i,'v') end", "0");
                c.call("CONFIG", "SET", "rdb-key-save-delay", "10000");
                c.call("BGSAVE");
                Thread.sleep(500);
                assertTrue(c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1"), "port " + port);
                boolean done = false;
                for (int i = 0; i < 150 && !done; i++) {
                    Thread.sleep(50);
                    done = c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:0");
                }
                assertTrue(done, "port " + port + ": the save ends");
                c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            }
        }
    }
}
