// GEO's fast sine, arcsine and cosine return the very double of the slow, correctly rounded series.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The law: the fast paths of {@link GeoHash#sin}, {@link GeoHash#asin} and the near-centre cosine of a search
 * ({@code Shape.cosNear}) change the speed only, never a bit of the result, so a search's distances stay the ones
 * GEODIST computes by the series (which {@code GeoProperties} compares with redis-server). Arguments are drawn
 * where the fast paths apply (small angles, points near the centre) and beyond, where they must step aside.
 */
class GeoHashProperties {

    @Property(tries = 20_000)
    void sineIsTheSeriesDouble(@ForAll("angles") double x) {
        assertEquals(Double.doubleToLongBits(GeoHash.sinSeries(x)), Double.doubleToLongBits(GeoHash.sin(x)), "sin " + x);
    }

    @Property(tries = 20_000)
    void arcsineIsTheSeriesDouble(@ForAll("angles") double x) {
        double argument = Math.min(Math.abs(x), 1);
        assertEquals(Double.doubleToLongBits(GeoHash.asinSeries(argument)),
                Double.doubleToLongBits(GeoHash.asin(argument)), "asin " + argument);
    }

    @Property(tries = 20_000)
    void cosineNearTheCentreIsTheSeriesDouble(@ForAll("latitudes") double centre, @ForAll("offsets") double offset) {
        double latitude = Math.clamp(centre + offset, GeoHash.LAT_MIN, GeoHash.LAT_MAX);
        double radians = latitude * (Math.PI / 180.0);
        GeoHash.Shape shape = GeoHash.Shape.circle(0, centre, 1000);
        assertEquals(Double.doubleToLongBits(GeoHash.cos(radians)), Double.doubleToLongBits(shape.cosNear(radians)),
                "cos " + radians + " near " + centre);
    }

    @Property(tries = 5_000)
    void aSearchMeasuresEveryPointAsGeodistDoes(@ForAll("latitudes") double latitude, @ForAll("offsets") double dLat,
                                                @ForAll("offsets") double dLong, @ForAll boolean box) {
        double longitude = 13.361389;
        double[] point = GeoHash.decode(GeoHash.score(Math.clamp(longitude + dLong, -180, 180),
                Math.clamp(latitude + dLat, GeoHash.LAT_MIN, GeoHash.LAT_MAX)));
        double expected = GeoHash.distance(longitude, latitude, point[0], point[1]);
        GeoHash.Shape shape = box ? GeoHash.Shape.box(longitude, latitude, 1e9, 1e9)
                : GeoHash.Shape.circle(longitude, latitude, 1e9);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(shape.distanceIfInside(point[0], point[1])));
    }

    /** Angles in radians: mostly tiny (the half-differences of nearby points), some up to π/2. */
    @Provide
    Arbitrary<Double> angles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-0.04, 0.04),
                Arbitraries.integers().between(-12, 0).flatMap(e -> Arbitraries.doubles().between(-1, 1)
                        .map(m -> m * Math.pow(10, e))),
                Arbitraries.doubles().between(-1.6, 1.6));
    }

    @Provide
    Arbitrary<Double> latitudes() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-85, 85), Arbitraries.doubles().between(-1, 1));
    }

    /** Degrees between a point and the centre: mostly a search's few kilometres, sometimes far. */
    @Provide
    Arbitrary<Double> offsets() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-0.05, 0.05), Arbitraries.doubles().between(-3, 3));
    }
}
