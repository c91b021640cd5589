// A list's quicklist settings, list-max-listpack-size and list-compress-depth, as they were when the list was made.
package io.port6379.datastructures;

/**
 * Redis reads {@code list-max-listpack-size} (the fill) and {@code list-compress-depth} when it creates a list's
 * quicklist ({@code quicklistSetOptions} in LPUSH, LMOVE, RESTORE and loading) and keeps them in the quicklist:
 * a CONFIG SET afterwards changes new lists only. DEBUG OBJECT shows them ({@code ql_listpack_max},
 * {@code ql_compressed}) and DUMP writes the nodes they shape, so each list holds the pair it was made with. The
 * server shares one instance per setting among all lists, so a list pays one reference for it. A class rather
 * than a record, so that heap measurements (JOL, which cannot read a record's field offsets) can walk a list.
 */
public final class QuicklistOptions {

    /** Redis's {@code quicklistCreate}: what a list made without the server's settings (SORT ... STORE) has. */
    public static final QuicklistOptions DEFAULT = new QuicklistOptions(-2, 0);

    private final int fill;
    private final int compressDepth;

    /**
     * @param fill          a positive count of elements per node, or -1 to -5 for 4 to 64 KB per node
     * @param compressDepth how many nodes at each end stay uncompressed; 0 compresses none
     */
    public QuicklistOptions(int fill, int compressDepth) {
        this.fill = fill;
        this.compressDepth = compressDepth;
    }

    /** {@code list-max-listpack-size} as it was. O(1). */
    public int fill() {
        return fill;
    }

    /** {@code list-compress-depth} as it was. O(1). */
    public int compressDepth() {
        return compressDepth;
    }
}
