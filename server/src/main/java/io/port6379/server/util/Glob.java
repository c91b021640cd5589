// Redis's glob-style patterns (KEYS, SCAN MATCH, CONFIG GET): *, ?, [abc], [^a-z] and \ escapes.
package io.port6379.server.util;

import java.nio.charset.StandardCharsets;

/**
 * A port of Redis's {@code stringmatchlen} from {@code util.c}, kept close to the original so that odd
 * patterns ({@code [a-}, {@code [z-a]}, a trailing {@code \}) match exactly what Redis matches. It works on
 * bytes, as keys are binary. The "skip longer matches" flag stops the exponential backtracking of patterns
 * like {@code a*a*a*a*b} once a {@code *} has failed against every suffix.
 */
public final class Glob {

    private Glob() {
    }

    /** Whether {@code string} matches {@code pattern}. O(N*M) in the worst case. */
    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, string, 0, nocase, new boolean[1]);
    }

    public static boolean matches(String pattern, String string) {
        return matches(pattern.getBytes(StandardCharsets.UTF_8),
                string.getBytes(StandardCharsets.UTF_8), true);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, boolean[] skipLonger) {
        int pEnd = p.length;
        int sEnd = s.length;
        while (pi < pEnd && si < sEnd) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < pEnd && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == pEnd) {
                        return true;
                    }
                    while (si < sEnd) {
                        if (match(p, pi + 1, s, si, nocase, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < pEnd && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi >= pEnd) {
                            pi--; // an unterminated class: the last byte is treated as its end
                            break;
                        } else if (p[pi] == '\\' && pEnd - pi >= 2) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pEnd - pi >= 3 && p[pi + 1] == '-') {
                            int start = fold(p[pi], nocase);
                            int end = fold(p[pi + 2], nocase);
                            int c = fold(s[si], nocase);
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (fold(p[pi], nocase) == fold(s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (p[pi] == '\\' && pEnd - pi >= 2) {
                        pi++;
                    }
                    if (fold(p[pi], nocase) != fold(s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
            if (si == sEnd) {
                while (pi < pEnd && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pEnd && si == sEnd;
    }

    private static int fold(byte b, boolean nocase) {
        int c = b & 0xff;
        return nocase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
