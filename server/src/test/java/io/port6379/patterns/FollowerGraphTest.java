// Both directions of a follow stay in step; mutual follows and suggestions come out of set algebra, sorted.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FollowerGraphTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static FollowerGraph graph(String server) throws Exception {
        FollowerGraph graph = new FollowerGraph(servers.fresh(server));
        for (String other : List.of("bob", "cy", "dan")) {
            graph.follow("ada", other);
        }
        for (String other : List.of("cy", "dan", "eve", "ada")) {
            graph.follow("bob", other);
        }
        return graph;
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aFollowIsCountedOnceInBothDirections(String server) throws Exception {
        FollowerGraph graph = graph(server);
        assertFalse(graph.follow("ada", "bob"));
        assertEquals(2, graph.followers("cy"));
        graph.unfollow("ada", "cy");
        assertEquals(1, graph.followers("cy"));
        assertTrue(graph.follow("ada", "cy"));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void mutualFollowsAreTheIntersectionAndTheirCountStopsAtTheLimit(String server) throws Exception {
        FollowerGraph graph = graph(server);
        assertEquals(List.of("cy", "dan"), graph.followedByBoth("ada", "bob"));
        assertEquals(2, graph.followedByBothCount("ada", "bob", 0));
        assertEquals(1, graph.followedByBothCount("ada", "bob", 1));
        assertEquals(List.of(), graph.followedByBoth("ada", "nobody"));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void suggestionsAreWhomTheOtherFollowsLessWhomOneFollowsAndOneself(String server) throws Exception {
        FollowerGraph graph = graph(server);
        assertEquals(List.of("eve"), graph.suggestions("ada", "bob"));
        assertEquals(List.of("bob", "cy", "dan"), graph.suggestions("eve", "ada"));
    }
}
