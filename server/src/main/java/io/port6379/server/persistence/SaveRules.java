// The "save <seconds> <changes>" points: when the server cron starts a BGSAVE by itself.
package io.port6379.server.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code saveparams}: {@code save "3600 1 300 100"} means "save after an hour if at least one key
 * changed, or after five minutes if at least 100 did". An empty value turns automatic saving off. Immutable.
 */
record SaveRules(List<Rule> rules) {

    /** Save when at least {@code changes} changes are older than {@code seconds} since the last save. */
    record Rule(long seconds, long changes) {
    }

    /** Parses the {@code save} parameter (already validated by the configuration: pairs of integers). */
    static SaveRules parse(String value) {
        String[] words = value.strip().isEmpty() ? new String[0] : value.strip().split("\\s+");
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i + 1 < words.length; i += 2) {
            rules.add(new Rule(Long.parseLong(words[i]), Long.parseLong(words[i + 1])));
        }
        return new SaveRules(List.copyOf(rules));
    }

    // tag::save-rules[]
    /** Whether some rule is met: enough changes, and more than its seconds since the last successful save. */
    boolean due(long changes, long secondsSinceLastSave) {
        for (Rule rule : rules) {
            if (changes >= rule.changes() && secondsSinceLastSave > rule.seconds()) {
                return true;
            }
        }
        return false;
    }
    // end::save-rules[]
}
