// CompatibilityTest's reading of a case line and its masking of times, for the programs that replay the same files.
package io.port6379.server;

/** Public doors to {@link CompatibilityTest}'s package-private helpers, so that the scripts are read one way only. */
public final class CompatibilityCases {

    private CompatibilityCases() {
    }

    public static String[] split(String line) {
        return CompatibilityTest.split(line);
    }

    public static String maskTimes(String reply) {
        return CompatibilityTest.maskTimes(reply);
    }
}
