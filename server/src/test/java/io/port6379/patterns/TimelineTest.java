// A post reaches its author's followers' timelines, newest first, and a timeline keeps only its newest posts.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimelineTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aPostReachesEveryFollowerAndTheAuthorButNobodyElse(String server) throws Exception {
        Timeline timeline = new Timeline(servers.fresh(server), 3);
        timeline.follow("bob", "ada");
        timeline.follow("cy", "ada");
        long id = timeline.post("ada", "first light");
        List<Timeline.Post> expected = List.of(new Timeline.Post(id, "ada", "first light"));
        assertEquals(expected, timeline.read("bob", 10));
        assertEquals(expected, timeline.read("cy", 10));
        assertEquals(expected, timeline.read("ada", 10));
        assertEquals(List.of(), timeline.read("dan", 10));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aTimelineListsTheNewestFirstAndKeepsOnlyItsLength(String server) throws Exception {
        Timeline timeline = new Timeline(servers.fresh(server), 3);
        timeline.follow("bob", "ada");
        timeline.follow("bob", "cy");
        timeline.post("ada", "one");
        timeline.post("cy", "two");
        timeline.post("ada", "three");
        timeline.post("cy", "four");
        assertEquals(List.of("cy: four", "ada: three", "cy: two"), timeline.read("bob", 10).stream()
                .map(post -> post.author() + ": " + post.text()).toList());
        assertEquals(2, timeline.read("bob", 2).size());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aFollowerSeesPostsFromTheFollowOnNotEarlierOnes(String server) throws Exception {
        Timeline timeline = new Timeline(servers.fresh(server), 10);
        timeline.post("ada", "before");
        timeline.follow("bob", "ada");
        timeline.post("ada", "after");
        assertEquals(List.of("after"), timeline.read("bob", 10).stream().map(Timeline.Post::text).toList());
    }
}
