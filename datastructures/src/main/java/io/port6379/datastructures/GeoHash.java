// Redis's geohash: a point as a 52-bit sorted-set score, the search boxes around a point, and the distances on the sphere.
package io.port6379.datastructures;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A GEO set is a sorted set whose scores are points. Redis turns a longitude and latitude into one 52-bit
 * number by halving both ranges 26 times ("step 26") and interleaving the bits: the latitude's bits at the even
 * positions, the longitude's at the odd ones. Points close on the map then share a long prefix, so every point
 * inside one geohash cell is one score range {@code [prefix000..., prefix+1 000...)}: a search is a handful of
 * ZRANGEBYSCORE calls followed by an exact distance test. Everything here follows {@code geohash.c},
 * {@code geohash_helper.c} and {@code geo.c} of Redis 7.0, operation for operation, because the printed digits
 * (GEOPOS's coordinates, "%.4f" distances) and the points found at the edge of a radius depend on the exact
 * double arithmetic:
 * <ul>
 *   <li>the latitude range is ±85.05112878 (Web Mercator's square), not ±90; GEOHASH re-encodes with ±90 to
 *       print a standard geohash string;</li>
 *   <li>a decoded point is the centre of its cell, clamped to the valid ranges, so GEOPOS never returns exactly
 *       what GEOADD was given;</li>
 *   <li>a search picks a cell size from the radius ({@link #estimateSteps}), then looks in that cell and its
 *       eight neighbours, skipping the neighbours that the bounding box of the shape does not reach;</li>
 *   <li>the Earth is a sphere of radius 6372797.560856 m and distances are haversine distances.</li>
 * </ul>
 */
public final class GeoHash {

    /** The finest step: 26 bits per coordinate, 52 in all, which a double holds exactly. */
    public static final int STEP_MAX = 26;
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;

    private static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;
    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {
    }

    /** A cell: the interleaved bits of a hash of {@code step} bits per coordinate. Zero bits and step: no cell. */
    record Cell(long bits, int step) {
        static final Cell NONE = new Cell(0, 0);

        boolean isNone() {
            return bits == 0 && step == 0;
        }

        /** The scores of the points inside: {@code [min, max)} (geo.c's {@code scoresOfGeoHashBox}). */
        ScoreRange scores() {
            return new ScoreRange(align52(bits, step), false, align52(bits + 1, step), true);
        }
    }

    /** A cell's extent in degrees: {@code geohashDecode}'s area. */
    record Area(double longMin, double longMax, double latMin, double latMax) {
    }

    // tag::encode[]
    /**
     * {@code geohashEncode}: each coordinate's offset in its range, scaled to {@code 2^step} and truncated to an
     * integer (as C converts a double to {@code uint32_t}), then interleaved. Null outside the ranges.
     */
    static Cell encode(double longitude, double latitude, double latMin, double latMax, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN
                || latitude < latMin || latitude > latMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - LONG_MIN) / (LONG_MAX - LONG_MIN);
        latOffset *= (1L << step);
        longOffset *= (1L << step);
        return new Cell(interleave((long) latOffset) | interleave((long) longOffset) << 1, step);
    }
    // end::encode[]

    /** The 52-bit score of a valid point (GEOADD's {@code geohashEncodeWGS84} then {@code geohashAlign52Bits}). */
    public static long score(double longitude, double latitude) {
        return encode(longitude, latitude, LAT_MIN, LAT_MAX, STEP_MAX).bits();
    }

    // tag::zadd[]
    /**
     * The ZADD that {@code GEOADD key [NX|XX] [CH] longitude latitude member ...} becomes (and that the AOF
     * records): {@code zadd key [options] score member ...}, each score the point's geohash as an integer. Throws
     * the error of the first invalid pair. O(N).
     */
    public static byte[][] zaddArguments(byte[][] geoadd) {
        int longIndex = 2;
        while (longIndex < geoadd.length && (is(geoadd[longIndex], "nx") || is(geoadd[longIndex], "xx")
                || is(geoadd[longIndex], "ch"))) {
            longIndex++;
        }
        int elements = (geoadd.length - longIndex) / 3;
        byte[][] zadd = new byte[longIndex + elements * 2][];
        zadd[0] = "zadd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(geoadd, 1, zadd, 1, longIndex - 1);
        for (int i = 0; i < elements; i++) {
            zadd[longIndex + i * 2] = RedisNumbers.formatLong(score(geoadd, longIndex + i * 3));
            zadd[longIndex + i * 2 + 1] = geoadd[longIndex + i * 3 + 2];
        }
        return zadd;
    }
    // end::zadd[]

    /** The score of the point whose longitude and latitude are {@code args[from]} and the next: {@link #longLat}. */
    public static long score(byte[][] args, int from) {
        double[] point = longLat(args, from);
        return score(point[0], point[1]);
    }

    private static boolean is(byte[] arg, String option) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(option);
    }

    /**
     * geo.c's {@code extractLongLatOrReply}: the floats at {@code from} and {@code from + 1}, within the ranges
     * GEOADD accepts, as {@code {longitude, latitude}}; the error prints both with C's {@code "%f"}.
     */
    public static double[] longLat(byte[][] args, int from) {
        double longitude = RedisNumbers.parseDouble(args[from]);
        double latitude = RedisNumbers.parseDouble(args[from + 1]);
        if (longitude < LONG_MIN || longitude > LONG_MAX || latitude < LAT_MIN || latitude > LAT_MAX) {
            throw new RedisException("ERR invalid longitude,latitude pair " + printF(longitude) + "," + printF(latitude));
        }
        return new double[] {longitude, latitude};
    }

    /** C's {@code "%f"}: six decimals of the exact value, rounded half to even; {@code inf}, {@code -0.000000}. */
    private static String printF(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String digits = new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return (value < 0 || 1 / value < 0) && !digits.startsWith("-") ? "-" + digits : digits;
    }

    private static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /** The low 32 bits of {@code value} spread to the even bit positions. */
    private static long interleave(long value) {
        long x = value & 0xFFFFFFFFL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        return (x | (x << 1)) & 0x5555555555555555L;
    }

    /** The even bits of {@code value} packed into the low 32. */
    private static long squash(long value) {
        long x = value & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        return (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    }

    // tag::decode[]
    /** {@code geohashDecode}: the cell's edges, from its integer coordinates, in the WGS84 ranges. */
    static Area area(Cell cell) {
        long latBits = squash(cell.bits());
        long longBits = squash(cell.bits() >>> 1);
        double cells = 1L << cell.step();
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        return new Area(LONG_MIN + (longBits * 1.0 / cells) * longScale,
                LONG_MIN + (((longBits + 1) & 0xFFFFFFFFL) * 1.0 / cells) * longScale,
                LAT_MIN + (latBits * 1.0 / cells) * latScale,
                LAT_MIN + (((latBits + 1) & 0xFFFFFFFFL) * 1.0 / cells) * latScale);
    }

    /**
     * The point a score stands for, {@code {longitude, latitude}}: the centre of its cell, clamped to the valid
     * ranges. The score is first truncated to an integer as C's {@code (uint64_t)} cast does. O(1).
     */
    public static double[] decode(double score) {
        Area area = area(new Cell(toUnsigned(score), STEP_MAX));
        double longitude = Math.clamp((area.longMin() + area.longMax()) / 2, LONG_MIN, LONG_MAX);
        double latitude = Math.clamp((area.latMin() + area.latMax()) / 2, LAT_MIN, LAT_MAX);
        return new double[] {longitude, latitude};
    }
    // end::decode[]

    /** {@link #decode}'s longitude alone, by the same operations, for the search's loop (no arrays). */
    private static double decodedLongitude(long bits) {
        long longBits = squash(bits >>> 1);
        double cells = 1L << STEP_MAX;
        double scale = LONG_MAX - LONG_MIN;
        double min = LONG_MIN + (longBits * 1.0 / cells) * scale;
        double max = LONG_MIN + (((longBits + 1) & 0xFFFFFFFFL) * 1.0 / cells) * scale;
        return Math.clamp((min + max) / 2, LONG_MIN, LONG_MAX);
    }

    /** {@link #decode}'s latitude alone. */
    private static double decodedLatitude(long bits) {
        long latBits = squash(bits);
        double cells = 1L << STEP_MAX;
        double scale = LAT_MAX - LAT_MIN;
        double min = LAT_MIN + (latBits * 1.0 / cells) * scale;
        double max = LAT_MIN + (((latBits + 1) & 0xFFFFFFFFL) * 1.0 / cells) * scale;
        return Math.clamp((min + max) / 2, LAT_MIN, LAT_MAX);
    }

    /** C's {@code (uint64_t)} conversion of a double on x86-64, for the scores ZADD may have put in a GEO set. */
    private static long toUnsigned(double score) {
        if (Double.isNaN(score)) {
            return Long.MIN_VALUE;
        }
        return score >= 0x1p63 ? (long) (score - 0x1p63) ^ Long.MIN_VALUE : (long) score;
    }

    /**
     * GEOHASH's string: the point re-encoded with the usual ±90 latitude range, printed as 11 base32 characters,
     * the last one always {@code 0} because Redis keeps only 52 bits.
     */
    public static String string(double score) {
        double[] point = decode(score);
        long bits = encode(point[0], point[1], -90, 90, STEP_MAX).bits();
        StringBuilder text = new StringBuilder(11);
        for (int i = 0; i < 11; i++) {
            int index = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
            text.append(ALPHABET.charAt(index));
        }
        return text.toString();
    }

    // tag::distance[]
    /**
     * {@code geohashGetDistance}: the haversine distance in metres. The C calls glibc's {@code sin}, {@code cos}
     * and {@code asin}, which nearly always return the double nearest the exact value; Java's {@code Math} is often
     * one unit in the last place away (its {@code asin} is fdlibm's: 7% of distances differed in STOREDIST's 17
     * digits). So the three are computed here as the nearest double ({@link #sin}, {@link #cos}, {@link #asin}),
     * which leaves about one distance in 400 (measured on 200 000 random pairs) a few units in the last place away
     * from Redis's, where glibc's is not the nearest; near antipodes {@code asin} magnifies such a unit. The series costs a
     * few hundred nanoseconds; points a search finds near its centre take a fast path that returns the same double
     * when it can prove it ({@link #roundedSum}).
     */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lat1r = lat1d * D_R;
        double lat2r = lat2d * D_R;
        return haversine(lat1r, lon1d * D_R, cos(lat1r), lat2r, lon2d * D_R, cos(lat2r));
    }

    private static double haversine(double lat1r, double lon1r, double cosLat1, double lat2r, double lon2r,
                                    double cosLat2) {
        double u = sin((lat2r - lat1r) / 2);
        double v = sin((lon2r - lon1r) / 2);
        return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(u * u + cosLat1 * cosLat2 * v * v));
    }
    // end::distance[]

    /**
     * The sine of {@code x} (|x| at most about 4) summed as a Taylor series in double-double arithmetic (a value
     * as the unevaluated sum of two doubles, 106 bits), so its high part is the double nearest the exact sine.
     */
    static double sin(double x) {
        if (x == 0) {
            return 0.0; // what the series gives for either zero
        }
        if (Math.abs(x) < SMALL) {
            double x2 = x * x;
            double delta = x * x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 * (1.0 / 362880
                    + x2 * (-1.0 / 39916800)))));
            double sum = roundedSum(x, delta);
            if (!Double.isNaN(sum)) {
                return sum;
            }
        }
        return sinSeries(x);
    }

    /** {@link #sin} always by the series: the slow path, and what the fast one must equal. */
    static double sinSeries(double x) {
        return taylor(x, 1).hi();
    }

    /** The cosine of {@code x}, as {@link #sin}. */
    static double cos(double x) {
        return taylor(x, 0).hi();
    }

    /**
     * The arcsine as the double nearest the exact value: fdlibm's answer, within an ulp, corrected by one Newton
     * step {@code y + (x - sin y) / cos y}, with {@code x - sin y} computed in double-double arithmetic.
     */
    static double asin(double x) {
        if (Math.abs(x) < SMALL && x != 0) {
            double x2 = x * x;
            double delta = x * x2 * (1.0 / 6 + x2 * (3.0 / 40 + x2 * (5.0 / 112 + x2 * (35.0 / 1152
                    + x2 * (63.0 / 2816 + x2 * (231.0 / 13312))))));
            double sum = roundedSum(x, delta);
            if (!Double.isNaN(sum)) {
                return sum;
            }
        }
        return asinSeries(x);
    }

    /** {@link #asin} always by the Newton step: the slow path, and what the fast one must equal. */
    static double asinSeries(double x) {
        double y = Math.asin(x);
        if (!(Math.abs(x) < 0.999)) {
            return y; // near 1 the derivative explodes; there fdlibm's answer stands
        }
        DoubleDouble sine = taylor(y, 1);
        double difference = (x - sine.hi()) - sine.lo(); // x - hi is exact: they are within a few ulps
        return y + difference / Math.cos(y); // the correction needs only a few correct bits
    }

    /**
     * Below this size the fast path of {@link #sin} and {@link #asin} applies: the function is {@code x + delta},
     * a small correction, so the Taylor series in plain doubles gives {@code delta} to about 2^-50 of itself, far
     * finer than the last place of the sum.
     */
    private static final double SMALL = 0x1p-5;

    /**
     * The double nearest {@code x + delta} ({@code |delta|} much smaller than {@code |x|}, known to within 2^-44 of
     * itself), or NaN when that cannot be told: when the exact sum may lie so close to the midpoint between two
     * doubles that the error in {@code delta} could put it on the other side (Ziv's rounding test), or when the
     * sum is a power of two, where the doubles below are twice as dense. Then the caller takes the slow, always
     * exact path. For {@code |x|} of 0.001 that happens about once in 10 000 calls.
     */
    private static double roundedSum(double x, double delta) {
        return roundedSum(x, delta, Math.abs(delta) * 0x1p-44);
    }

    /** {@link #roundedSum(double, double)} with {@code delta} known to within {@code deltaError}. */
    private static double roundedSum(double x, double delta, double deltaError) {
        double sum = x + delta;
        double error = delta - (sum - x); // exact (Fast2Sum, |x| >= |delta|): x + delta = sum + error
        double halfUlp = Math.ulp(sum) / 2;
        boolean powerOfTwo = (Double.doubleToRawLongBits(sum) & 0x000FFFFFFFFFFFFFL) == 0;
        if (powerOfTwo || halfUlp - Math.abs(error) <= deltaError) {
            return Double.NaN;
        }
        return sum;
    }

    /** A value as the unevaluated sum of two doubles, {@code |lo| <= ulp(hi) / 2}. */
    private record DoubleDouble(double hi, double lo) {
    }

    /** 1/n! as double-doubles ({@code hi + lo}), for the Taylor series of sin and cos. */
    private static final double[] INVERSE_FACTORIAL_HI = new double[52];
    private static final double[] INVERSE_FACTORIAL_LO = new double[52];

    static {
        BigDecimal factorial = BigDecimal.ONE;
        MathContext precision = new MathContext(60);
        for (int n = 0; n < INVERSE_FACTORIAL_HI.length; n++) {
            factorial = n == 0 ? BigDecimal.ONE : factorial.multiply(BigDecimal.valueOf(n));
            BigDecimal inverse = BigDecimal.ONE.divide(factorial, precision);
            INVERSE_FACTORIAL_HI[n] = inverse.doubleValue();
            INVERSE_FACTORIAL_LO[n] = inverse.subtract(new BigDecimal(INVERSE_FACTORIAL_HI[n])).doubleValue();
        }
    }

    /**
     * sin (odd = 1) or cos (odd = 0) of {@code x} (|x| up to about 3.3) in double-double arithmetic, by Horner's
     * scheme on x²: {@code cos x = 1/0! - x²(1/2! - x²(1/4! - ...))}, {@code sin x = x(1/1! - x²(1/3! - ...))},
     * with enough terms that the first one left out is below 2^-110 of the result.
     */
    private static DoubleDouble taylor(double x, int odd) {
        double size = Math.abs(x);
        int terms = size < 0.1 ? 9 : size < 0.5 ? 14 : size < 1.6 ? 18 : 24;
        double x2hi = x * x;
        double x2lo = Math.fma(x, x, -x2hi);
        double hi = 0;
        double lo = 0;
        for (int k = terms; k >= 0; k--) {
            // sum = 1/(2k + odd)! - x² · sum, with the sign of the series folded in: (-1)^k
            double p = hi * x2hi;
            double e = Math.fma(hi, x2hi, -p) + (hi * x2lo + lo * x2hi);
            double productHi = p + e;
            double productLo = e - (productHi - p);
            double c = INVERSE_FACTORIAL_HI[2 * k + odd];
            double s = c - productHi; // Knuth's two-sum of c and -product
            double bb = s - c;
            double err = (c - (s - bb)) + (-productHi - bb) + INVERSE_FACTORIAL_LO[2 * k + odd] - productLo;
            hi = s + err;
            lo = err - (hi - s);
        }
        if (odd == 0) {
            return new DoubleDouble(hi, lo);
        }
        double p = hi * x;
        double e = Math.fma(hi, x, -p) + lo * x;
        double product = p + e;
        return new DoubleDouble(product, e - (product - p));
    }

    /** The shape of a search, in metres: a circle of {@code radius}, or a box {@code width} by {@code height}. */
    public static final class Shape {
        private final double longitude;
        private final double latitude;
        private final boolean box;
        private final double radius;
        private final double width;
        private final double height;
        // The centre's latitude in radians, its cosine and sine as double-doubles: every distance needs them.
        private final double latR;
        private final double cosLatHi;
        private final double cosLatLo;
        private final double sinLatHi;
        private final double sinLatLo;

        private Shape(double longitude, double latitude, boolean box, double radius, double width, double height) {
            this.longitude = longitude;
            this.latitude = latitude;
            this.box = box;
            this.radius = radius;
            this.width = width;
            this.height = height;
            this.latR = latitude * D_R;
            DoubleDouble cosine = taylor(latR, 0);
            this.cosLatHi = cosine.hi();
            this.cosLatLo = cosine.lo();
            DoubleDouble sine = taylor(latR, 1);
            this.sinLatHi = sine.hi();
            this.sinLatLo = sine.lo();
        }

        public static Shape circle(double longitude, double latitude, double radiusMeters) {
            return new Shape(longitude, latitude, false, radiusMeters, 0, 0);
        }

        public static Shape box(double longitude, double latitude, double widthMeters, double heightMeters) {
            return new Shape(longitude, latitude, true, 0, widthMeters, heightMeters);
        }

        public double longitude() {
            return longitude;
        }

        public double latitude() {
            return latitude;
        }

        public boolean box() {
            return box;
        }

        public double radius() {
            return radius;
        }

        public double width() {
            return width;
        }

        public double height() {
            return height;
        }

        /**
         * Whether a point lies inside ({@code geoWithinShape}); its distance from the centre, or -1 outside. A
         * box compares the east-west distance along the point's own parallel and the north-south distance along
         * its meridian with half the sides. Each distance is {@link #distance}'s, to the bit; only the cosines
         * are found faster, the centre's once and the point's from the centre's ({@link #cosNear}).
         */
        public double distanceIfInside(double longitude2, double latitude2) {
            double lonR = longitude * D_R;
            double lat2r = latitude2 * D_R;
            double lon2r = longitude2 * D_R;
            double cosLat2 = cosNear(lat2r);
            if (!box) {
                double distance = haversine(latR, lonR, cosLatHi, lat2r, lon2r, cosLat2);
                return distance > radius ? -1 : distance;
            }
            double longDistance = haversine(lat2r, lon2r, cosLat2, lat2r, lonR, cosLat2);
            double latDistance = haversine(lat2r, lon2r, cosLat2, latR, lon2r, cosLatHi);
            if (longDistance > width / 2 || latDistance > height / 2) {
                return -1;
            }
            return haversine(latR, lonR, cosLatHi, lat2r, lon2r, cosLat2);
        }

        /**
         * {@link GeoHash#cos} of a latitude {@code lat2r} near the centre's, the same double, from the angle sum
         * {@code cos(a + d) = cos a - sin a sin d - cos a (1 - cos d)}. With {@code cos a} and {@code sin a} known to
         * 106 bits, the large term {@code sin a sin d} is carried as a double-double too (its rounding error alone
         * would leave one point in four undecided), so the sum is known to about 2^-100 of the cosine and
         * {@link #roundedSum} nearly always tells how it rounds. Otherwise, and for points far from the centre, the
         * series.
         */
        double cosNear(double lat2r) {
            double d = lat2r - latR;
            double bb = d - lat2r;
            double dLo = (lat2r - (d - bb)) + (-latR - bb); // lat2r - latR = d + dLo exactly (Knuth's two-sum)
            if (Math.abs(d) < SMALL) {
                double d2 = d * d;
                double oneMinusCos = d2 * (0.5 + d2 * (-1.0 / 24 + d2 * (1.0 / 720 + d2 * (-1.0 / 40320
                        + d2 * (1.0 / 3628800)))));
                double cubic = d * d2 * (-1.0 / 6 + d2 * (1.0 / 120 + d2 * (-1.0 / 5040 + d2 * (1.0 / 362880))));
                double sinDLo = dLo + cubic; // sin(d + dLo) = d + sinDLo
                double a = cosLatHi * oneMinusCos;
                double bHi = sinLatHi * d; // sin a · sin d = bHi + bLo
                double bLo = Math.fma(sinLatHi, d, -bHi) + (sinLatHi * sinDLo + sinLatLo * d);
                double s = cosLatHi - bHi; // Knuth's two-sum: cosLatHi - bHi = s + e exactly
                double sb = s - cosLatHi;
                double e = (cosLatHi - (s - sb)) + (-bHi - sb);
                double rest = ((e + cosLatLo) - bLo) - a;
                double restError = (Math.abs(a) + Math.abs(cubic)) * 0x1p-48 + (Math.abs(bLo) + Math.abs(sinLatHi * sinDLo)
                        + Math.abs(e) + Math.abs(cosLatLo) + Math.abs(rest)) * 0x1p-50 + Math.abs(d * dLo)
                        + Math.abs(cosLatLo * oneMinusCos) + Math.abs(sinLatLo * sinDLo) + 0x1p-120;
                if (Math.abs(rest) * 2 <= Math.abs(s)) {
                    double cosine = roundedSum(s, rest, restError);
                    if (!Double.isNaN(cosine)) {
                        return cosine;
                    }
                }
            }
            return cos(lat2r);
        }
    }

    // tag::steps[]
    /**
     * {@code geohashEstimateStepsByRadius}: the coarsest step whose cells are still about as wide as the radius,
     * one coarser near the poles (beyond ±66°) and another beyond ±80°, where meridians converge.
     */
    static int estimateSteps(double rangeMeters, double latitude) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.clamp(step, 1, 26);
    }
    // end::steps[]

    /**
     * {@code geohashBoundingBox}: {min longitude, min latitude, max longitude, max latitude} of the shape. The
     * longitude span is measured on the parallel nearer the pole, where it is widest: the top edge in the
     * northern hemisphere, the bottom one in the southern.
     */
    static double[] boundingBox(Shape shape) {
        double height = shape.box() ? shape.height() / 2 : shape.radius();
        double width = shape.box() ? shape.width() / 2 : shape.radius();
        double latDelta = height / EARTH_RADIUS_IN_METERS / D_R;
        double longDeltaTop = width / EARTH_RADIUS_IN_METERS / Math.cos((shape.latitude() + latDelta) * D_R) / D_R;
        double longDeltaBottom = width / EARTH_RADIUS_IN_METERS / Math.cos((shape.latitude() - latDelta) * D_R) / D_R;
        boolean southern = shape.latitude() < 0;
        double longDelta = southern ? longDeltaBottom : longDeltaTop;
        return new double[] {shape.longitude() - longDelta, shape.latitude() - latDelta,
            shape.longitude() + longDelta, shape.latitude() + latDelta};
    }

    /** {@code geohash_move_x} (d = ±1): the cell east or west, wrapping around the antimeridian. */
    private static Cell moveX(Cell cell, int d) {
        long x = cell.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = cell.bits() & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - cell.step() * 2);
        x = d > 0 ? x + (zz + 1) : (x | zz) - (zz + 1);
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - cell.step() * 2);
        return new Cell(x | y, cell.step());
    }

    /** {@code geohash_move_y} (d = ±1): the cell north or south. */
    private static Cell moveY(Cell cell, int d) {
        long x = cell.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = cell.bits() & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - cell.step() * 2);
        y = d > 0 ? y + (zz + 1) : (y | zz) - (zz + 1);
        y &= 0x5555555555555555L >>> (64 - cell.step() * 2);
        return new Cell(x | y, cell.step());
    }

    // tag::areas[]
    /**
     * {@code geohashCalculateAreasByShapeWGS84}: the centre's cell at the estimated step and its eight neighbours,
     * in geo.c's order (self, N, S, E, W, NE, NW, SE, SW). If a neighbour does not reach the edge of the bounding
     * box, the step is one coarser; then (from step 2 on) each neighbour that lies beyond the box is dropped
     * ({@link Cell#NONE}).
     */
    static List<Cell> searchCells(Shape shape) {
        double[] bounds = boundingBox(shape);
        double radiusMeters = shape.box()
                ? Math.sqrt((shape.width() / 2) * (shape.width() / 2) + (shape.height() / 2) * (shape.height() / 2))
                : shape.radius();
        int steps = estimateSteps(radiusMeters, shape.latitude());
        Cell cell = encode(shape.longitude(), shape.latitude(), LAT_MIN, LAT_MAX, steps);
        Cell[] neighbours = neighbours(cell);
        boolean decreaseStep = area(neighbours[1]).latMax() < bounds[3] || area(neighbours[2]).latMin() > bounds[1]
                || area(neighbours[3]).longMax() < bounds[2] || area(neighbours[4]).longMin() > bounds[0];
        if (steps > 1 && decreaseStep) {
            steps--;
            cell = encode(shape.longitude(), shape.latitude(), LAT_MIN, LAT_MAX, steps);
            neighbours = neighbours(cell);
        }
        Area area = area(cell);
        if (steps >= 2) {
            if (area.latMin() < bounds[1]) {
                drop(neighbours, 2, 8, 7); // south, south-west, south-east
            }
            if (area.latMax() > bounds[3]) {
                drop(neighbours, 1, 5, 6); // north, north-east, north-west
            }
            if (area.longMin() < bounds[0]) {
                drop(neighbours, 4, 8, 6); // west, south-west, north-west
            }
            if (area.longMax() > bounds[2]) {
                drop(neighbours, 3, 7, 5); // east, south-east, north-east
            }
        }
        return List.of(neighbours);
    }
    // end::areas[]

    private static void drop(Cell[] cells, int... indexes) {
        for (int index : indexes) {
            cells[index] = Cell.NONE;
        }
    }

    private static Cell[] neighbours(Cell cell) {
        return new Cell[] {cell, moveY(cell, 1), moveY(cell, -1), moveX(cell, 1), moveX(cell, -1),
            moveY(moveX(cell, 1), 1), moveY(moveX(cell, -1), 1), moveY(moveX(cell, 1), -1), moveY(moveX(cell, -1), -1)};
    }

    /** A point found by a search: its member, score, distance from the centre in metres, and decoded position. */
    public record Found(Bytes member, double score, double distance, double longitude, double latitude) {
    }

    // tag::search[]
    /**
     * geo.c's {@code membersOfAllNeighbors}: the points of {@code zset} inside {@code shape}, cell by cell in the
     * order of {@link #searchCells}, each cell in score order; a cell equal to the one searched before is skipped
     * (with a huge radius neighbours coincide). With {@code limit} above 0 (ANY) the search stops at that many.
     * Unsorted. O(N+log(M)), N the points in the cells; only those inside become objects (candidates are read in
     * place by {@link RedisSortedSet#forEachByScore} and decoded into locals).
     */
    public static List<Found> search(RedisSortedSet zset, Shape shape, long limit) {
        List<Found> found = new ArrayList<>();
        List<Cell> cells = searchCells(shape);
        RedisSortedSet.ElementVisitor test = (member, score) -> {
            if (limit > 0 && found.size() >= limit) {
                return false;
            }
            long bits = toUnsigned(score);
            double longitude = decodedLongitude(bits);
            double latitude = decodedLatitude(bits);
            double distance = shape.distanceIfInside(longitude, latitude);
            if (distance >= 0) {
                found.add(new Found(Bytes.of(member), score, distance, longitude, latitude));
            }
            return true;
        };
        int lastProcessed = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            if (cell.isNone()) {
                continue;
            }
            if (lastProcessed != 0 && cell.equals(cells.get(lastProcessed))) {
                continue;
            }
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            zset.forEachByScore(cell.scores(), test);
            lastProcessed = i;
        }
        return found;
    }
    // end::search[]
}
