// Points add up, the board lists the best first, and ranks follow the scores.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaderboardTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void pointsAddUpPerPlayer(String server) throws Exception {
        Leaderboard board = new Leaderboard(servers.fresh(server), "chess");
        assertEquals(10, board.score("alice", 10));
        assertEquals(7.5, board.score("alice", -2.5));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void theTopListsTheBestFirstWithTiesInReverseNameOrder(String server) throws Exception {
        Leaderboard board = new Leaderboard(servers.fresh(server), "chess");
        board.score("alice", 30);
        board.score("bob", 50);
        board.score("carol", 30);
        board.score("dave", 10);
        assertEquals(List.of(new Leaderboard.Entry(1, "bob", 50), new Leaderboard.Entry(2, "carol", 30),
                new Leaderboard.Entry(3, "alice", 30)), board.top(3));
        assertEquals(4, board.top(10).size());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aRankFollowsTheScore(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        Leaderboard board = new Leaderboard(redis, "chess");
        board.score("alice", 10);
        board.score("bob", 20);
        assertEquals(2, board.rank("alice"));
        board.score("alice", 15);
        assertEquals(1, board.rank("alice"));
        assertEquals(2, board.rank("bob"));
        assertEquals(0, board.rank("nobody"));
    }
}
