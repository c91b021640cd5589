// Redis's pqsort: the NetBSD quicksort that only sorts the part of the array a window needs, ties in its own order.
package io.port6379.datastructures;

import java.util.Comparator;

/**
 * When a GEO search keeps only the nearest COUNT of its points, Redis does not sort them all: {@code pqsort.c}
 * is Bentley and McIlroy's quicksort (NetBSD's {@code qsort}) that skips every partition lying wholly outside the
 * window {@code [lrange, rrange]}. The window comes out sorted, but it is not a stable sort: points at the same
 * distance come out in the order the partitioning leaves them. To answer with the same order as Redis, this is
 * the same algorithm, step for step (its pointers become indexes). O(N log N) at worst, about O(N) for a small
 * window.
 */
public final class PartialQuickSort {

    private PartialQuickSort() {
    }

    /** Sorts {@code a} enough that the elements from {@code lrange} to {@code rrange} are in their final places. */
    public static <T> void sort(T[] a, Comparator<? super T> cmp, int lrange, int rrange) {
        sort(a, 0, a.length, cmp, lrange, rrange);
    }

    private static <T> void sort(T[] array, int a, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        while (true) {
            if (n < 7) {
                insertionSort(array, a, n, cmp);
                return;
            }
            int pm = a + n / 2;
            if (n > 7) {
                int pl = a;
                int pn = a + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(array, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(array, pm - d, pm, pm + d, cmp);
                    pn = med3(array, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(array, pl, pm, pn, cmp);
            }
            swap(array, a, pm);
            int pa = a + 1;
            int pb = a + 1;
            int pc = a + n - 1;
            int pd = a + n - 1;
            boolean swapped = false;
            while (true) {
                int result;
                while (pb <= pc && (result = cmp.compare(array[pb], array[a])) <= 0) {
                    if (result == 0) {
                        swapped = true;
                        swap(array, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (result = cmp.compare(array[pc], array[a])) >= 0) {
                    if (result == 0) {
                        swapped = true;
                        swap(array, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(array, pb++, pc--);
                swapped = true;
            }
            if (!swapped) { // already partitioned: insertion sort finishes it
                insertionSort(array, a, n, cmp);
                return;
            }
            int pn = a + n;
            int r = Math.min(pa - a, pb - pa);
            vecswap(array, a, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(array, pb, pn - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(a, r, lrange, rrange)) {
                sort(array, a, r, cmp, lrange, rrange);
            }
            r = pd - pc;
            if (r <= 1) {
                return;
            }
            a = pn - r; // iterate rather than recurse, as the C does
            n = r;
            if (!overlaps(a, n, lrange, rrange)) {
                return;
            }
        }
    }

    /** Whether the partition {@code [from, from + count)} meets the window (pqsort's {@code _l}/{@code _r} test). */
    private static boolean overlaps(int from, int count, int lrange, int rrange) {
        return !((lrange < from && rrange < from) || (lrange >= from + count && rrange >= from + count));
    }

    private static <T> void insertionSort(T[] array, int a, int n, Comparator<? super T> cmp) {
        for (int pm = a + 1; pm < a + n; pm++) {
            for (int pl = pm; pl > a && cmp.compare(array[pl - 1], array[pl]) > 0; pl--) {
                swap(array, pl, pl - 1);
            }
        }
    }

    private static <T> int med3(T[] array, int a, int b, int c, Comparator<? super T> cmp) {
        return cmp.compare(array[a], array[b]) < 0
                ? (cmp.compare(array[b], array[c]) < 0 ? b : (cmp.compare(array[a], array[c]) < 0 ? c : a))
                : (cmp.compare(array[b], array[c]) > 0 ? b : (cmp.compare(array[a], array[c]) < 0 ? a : c));
    }

    private static <T> void swap(T[] array, int i, int j) {
        T t = array[i];
        array[i] = array[j];
        array[j] = t;
    }

    /** Swaps the {@code n} elements from {@code a} with the {@code n} from {@code b}, pairwise. */
    private static <T> void vecswap(T[] array, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            swap(array, a + i, b + i);
        }
    }
}
