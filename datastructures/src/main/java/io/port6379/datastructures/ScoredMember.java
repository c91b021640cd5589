// One element of a sorted set as commands return it: the member and its score.
package io.port6379.datastructures;

/** A member with its score, as in a WITHSCORES reply or a ZPOPMIN result. */
public record ScoredMember(Bytes member, double score) {
}
