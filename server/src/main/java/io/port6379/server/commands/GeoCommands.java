// The GEO family: points on the map stored as a sorted set, their positions, distances and geohashes, and searches by radius or box.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.GeoHash;
import io.port6379.datastructures.PartialQuickSort;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.ZAddOptions;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * GEO is not a type of its own: a GEO set is a sorted set whose scores are 52-bit geohashes ({@link GeoHash}).
 * GEOADD turns each longitude/latitude into a score and runs ZADD, so ZRANGE, ZREM and ZCARD work on GEO sets, and
 * every GEO command reads a sorted set. GEOPOS decodes a score back to the centre of its geohash cell (so the
 * position differs from the one added in the last digits), GEODIST measures the haversine distance between two
 * members, GEOHASH prints the standard 11-character geohash, and the searches (GEOSEARCH, GEOSEARCHSTORE and the
 * older GEORADIUS family) look in nine geohash cells around the centre and keep the points inside the circle or
 * box.
 *
 * <p>The Redis quirks kept here, from {@code geo.c}:
 * <ul>
 *   <li>GEOADD accepts NX, XX and CH (not GT, LT or INCR), and NX with XX is a plain syntax error; the AOF and
 *       the keyspace events see the ZADD it becomes;</li>
 *   <li>distances are printed with {@code "%.4f"} as bulk strings even in RESP3, coordinates with
 *       {@code "%.17Lf"} minus trailing zeros (RESP3 doubles), hashes as integers;</li>
 *   <li>units are {@code m}, {@code km}, {@code ft} and {@code mi} in any case;</li>
 *   <li>COUNT without ASC or DESC sorts ascending (to return the nearest), except with ANY, which stops the
 *       search at COUNT points and leaves them in the order found;</li>
 *   <li>on a missing key, GEORADIUSBYMEMBER and GEOSEARCH FROMMEMBER do not check the member nor, for the former,
 *       the radius: the answer is empty (0 with STORE, which deletes the destination).</li>
 * </ul>
 */
public final class GeoCommands {

    private static final String COULD_NOT_DECODE = "ERR could not decode requested zset member";

    private GeoCommands() {
    }

    // tag::geoadd[]
    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member [...] — ZADD with the geohashes as scores: the options go
     * through unchanged, each triple becomes {@code score member} (the AOF records that ZADD:
     * {@link GeoHash#zaddArguments}). Every pair is checked before anything is added. The scores go to ZADD's
     * code as numbers, not printed and parsed again.
     */
    static void geoadd(Client client, byte[][] args, RespWriter reply) {
        int longIndex = 2;
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        while (longIndex < args.length) {
            if (Args.is(args[longIndex], "nx")) {
                nx = true;
            } else if (Args.is(args[longIndex], "xx")) {
                xx = true;
            } else if (Args.is(args[longIndex], "ch")) {
                ch = true;
            } else {
                break;
            }
            longIndex++;
        }
        if ((args.length - longIndex) % 3 != 0 || (xx && nx) || args.length == longIndex) {
            throw Args.syntaxError(); // no triple at all is ZADD's syntax error
        }
        double[] scores = new double[(args.length - longIndex) / 3];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = GeoHash.score(args, longIndex + i * 3);
        }
        ZAddOptions options = nx || xx || ch ? new ZAddOptions(nx, xx, false, false, ch, false) : ZAddOptions.NONE;
        SortedSetCommands.add(client, args[1], options, scores, args, longIndex + 2, 3, reply);
    }
    // end::geoadd[]

    /** {@code extractUnitOrReply}: metres per unit. */
    private static double unit(byte[] unit) {
        if (Args.is(unit, "m")) {
            return 1;
        } else if (Args.is(unit, "km")) {
            return 1000;
        } else if (Args.is(unit, "ft")) {
            return 0.3048;
        } else if (Args.is(unit, "mi")) {
            return 1609.34;
        }
        throw new RedisException("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /** A float argument whose error is {@code message} instead of "value is not a valid float". */
    private static double number(byte[] arg, String message) {
        try {
            return RedisNumbers.parseDouble(arg);
        } catch (RedisException notAFloat) {
            throw new RedisException(message);
        }
    }

    /** {@code addReplyDoubleDistance}: {@code "%.4f"} as a bulk string, in RESP3 too. */
    private static void distance(RespWriter reply, double distance) {
        reply.bulkString(new BigDecimal(distance).setScale(4, RoundingMode.HALF_EVEN).toPlainString());
    }

    /** {@code addReplyHumanLongDouble}: a RESP3 double or RESP2 bulk string printed as INCRBYFLOAT prints. */
    private static void coordinate(RespWriter reply, double value) {
        reply.doubleValue(RedisNumbers.formatHuman(value));
    }

    /** GEOPOS key [member ...] — per member [longitude, latitude], or a null array when it is missing. */
    static void geopos(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = TypeCommands.read(client, args[1], RedisSortedSet.class);
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            Double score = zset == null ? null : zset.score(Bytes.of(args[i]));
            if (score == null) {
                reply.nullArray();
            } else {
                double[] point = GeoHash.decode(score);
                reply.arrayHeader(2);
                coordinate(reply, point[0]);
                coordinate(reply, point[1]);
            }
        }
    }

    /** GEODIST key member1 member2 [M|KM|FT|MI] — the distance, or nil when either member is missing. */
    static void geodist(Client client, byte[][] args, RespWriter reply) {
        double toMeters = 1;
        if (args.length == 5) {
            toMeters = unit(args[4]);
        } else if (args.length > 5) {
            throw Args.syntaxError();
        }
        RedisSortedSet zset = TypeCommands.read(client, args[1], RedisSortedSet.class);
        Double first = zset == null ? null : zset.score(Bytes.of(args[2]));
        Double second = zset == null ? null : zset.score(Bytes.of(args[3]));
        if (first == null || second == null) {
            reply.nullBulkString();
            return;
        }
        double[] a = GeoHash.decode(first);
        double[] b = GeoHash.decode(second);
        distance(reply, GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters);
    }

    /** GEOHASH key [member ...] — per member its 11-character geohash, or nil. */
    static void geohash(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = TypeCommands.read(client, args[1], RedisSortedSet.class);
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            Double score = zset == null ? null : zset.score(Bytes.of(args[i]));
            if (score == null) {
                reply.nullBulkString();
            } else {
                reply.bulkString(GeoHash.string(score));
            }
        }
    }

    /** Which command is running: what its arguments are and where the options start. */
    private enum Kind {
        RADIUS(6, true), RADIUS_RO(6, false), BY_MEMBER(5, true), BY_MEMBER_RO(5, false), SEARCH(2, false),
        SEARCH_STORE(3, false);

        final int baseArgs;
        final boolean storeOption;

        Kind(int baseArgs, boolean storeOption) {
            this.baseArgs = baseArgs;
            this.storeOption = storeOption;
        }

        boolean search() {
            return this == SEARCH || this == SEARCH_STORE;
        }
    }

    private enum Order { NONE, ASC, DESC }

    static void georadius(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.RADIUS, 1);
    }

    static void georadiusRo(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.RADIUS_RO, 1);
    }

    static void georadiusbymember(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.BY_MEMBER, 1);
    }

    static void georadiusbymemberRo(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.BY_MEMBER_RO, 1);
    }

    static void geosearch(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.SEARCH, 1);
    }

    static void geosearchstore(Client client, byte[][] args, RespWriter reply) {
        search(client, args, reply, Kind.SEARCH_STORE, 2);
    }

    // tag::search[]
    /**
     * geo.c's {@code georadiusGeneric}: the centre and size of the search from the fixed arguments (GEORADIUS...)
     * or from the options (GEOSEARCH...), checked in Redis's order; then the points, sorted and cut to COUNT, as a
     * reply or stored under the destination (scores: geohashes, or distances with STOREDIST).
     */
    private static void search(Client client, byte[][] args, RespWriter reply, Kind kind, int sourceIndex) {
        RedisSortedSet zset = TypeCommands.read(client, args[sourceIndex], RedisSortedSet.class);
        double[] centre = null;
        double size = 0;
        double width = 0;
        double height = 0;
        double toMeters = 1;
        boolean box = false;
        byte[] store = kind == Kind.SEARCH_STORE ? args[1] : null;
        if (kind == Kind.RADIUS || kind == Kind.RADIUS_RO) {
            centre = GeoHash.longLat(args, 2);
            size = radius(args[4]);
            toMeters = unit(args[5]);
        } else if (zset != null && !kind.search()) {
            centre = memberPosition(zset, args[2]);
            size = radius(args[3]);
            toMeters = unit(args[4]);
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoord = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean storeDist = false;
        boolean any = false;
        Order order = Order.NONE;
        long count = 0;
        int base = kind.baseArgs;
        int remaining = args.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = args[base + i];
            if (Args.is(arg, "withdist")) {
                withDist = true;
            } else if (Args.is(arg, "withhash")) {
                withHash = true;
            } else if (Args.is(arg, "withcoord")) {
                withCoord = true;
            } else if (Args.is(arg, "any")) {
                any = true;
            } else if (Args.is(arg, "asc")) {
                order = Order.ASC;
            } else if (Args.is(arg, "desc")) {
                order = Order.DESC;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                count = Args.parseLong(args[base + i + 1]);
                if (count <= 0) {
                    throw new RedisException("ERR COUNT must be > 0");
                }
                i++;
            } else if ((Args.is(arg, "store") || Args.is(arg, "storedist")) && i + 1 < remaining && kind.storeOption) {
                store = args[base + i + 1];
                storeDist = Args.is(arg, "storedist");
                i++;
            } else if (Args.is(arg, "storedist") && kind == Kind.SEARCH_STORE) {
                storeDist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && kind.search() && !fromLonLat) {
                if (zset != null) { // without a key the member is not looked for: the answer will be empty
                    centre = memberPosition(zset, args[base + i + 1]);
                }
                fromMember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && kind.search() && !fromMember) {
                centre = GeoHash.longLat(args, base + i + 1);
                fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && kind.search() && !byBox) {
                size = radius(args[base + i + 1]);
                toMeters = unit(args[base + i + 2]);
                byRadius = true;
                box = false;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && kind.search() && !byRadius) {
                width = number(args[base + i + 1], "ERR need numeric width");
                height = number(args[base + i + 2], "ERR need numeric height");
                if (height < 0 || width < 0) {
                    throw new RedisException("ERR height or width cannot be negative");
                }
                toMeters = unit(args[base + i + 3]);
                byBox = true;
                box = true;
                i += 3;
            } else {
                throw Args.syntaxError();
            }
        }
        String name = new String(args[0], StandardCharsets.UTF_8);
        if (store != null && (withDist || withHash || withCoord)) {
            throw new RedisException("ERR " + (kind == Kind.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (kind.search() && !(fromMember || fromLonLat)) {
            throw new RedisException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (kind.search() && !(byRadius || byBox)) {
            throw new RedisException("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw new RedisException("ERR the ANY argument requires COUNT argument");
        }
        if (zset == null) {
            if (store != null) {
                if (client.db().remove(Bytes.of(store))) {
                    client.server().keyspaceEvents().modified(client, Bytes.of(store), NotifyKeyspaceEvents.GENERIC, "del", 1);
                }
                reply.integer(0);
            } else {
                reply.arrayHeader(0);
            }
            return;
        }
        if (count != 0 && order == Order.NONE && !any) {
            order = Order.ASC; // COUNT means "the nearest COUNT"
        }
        GeoHash.Shape shape = box
                ? GeoHash.Shape.box(centre[0], centre[1], width * toMeters, height * toMeters)
                : GeoHash.Shape.circle(centre[0], centre[1], size * toMeters);
        List<GeoHash.Found> found = GeoHash.search(zset, shape, any ? count : 0);
        int returned = count == 0 || found.size() < count ? found.size() : (int) count;
        List<GeoHash.Found> results = sort(found, order, returned);
        if (store == null) {
            writeResults(reply, results, toMeters, withDist, withHash, withCoord);
        } else {
            store(client, Bytes.of(store), results, storeDist, toMeters, kind.search() ? "geosearchstore" : "georadiusstore");
            reply.integer(returned);
        }
    }
    // end::search[]

    // tag::sort[]
    /**
     * The first {@code returned} points in the order asked. Sorting them all is glibc's {@code qsort}, a merge
     * sort, so points at the same distance keep the order found; keeping fewer is Redis's {@code pqsort}, which
     * leaves such ties in its own order ({@link PartialQuickSort}).
     */
    private static List<GeoHash.Found> sort(List<GeoHash.Found> found, Order order, int returned) {
        if (order == Order.NONE) {
            return found.subList(0, returned);
        }
        Comparator<GeoHash.Found> ascending = (a, b) -> a.distance() > b.distance() ? 1 : a.distance() == b.distance() ? 0 : -1;
        Comparator<GeoHash.Found> comparator = order == Order.ASC ? ascending : (a, b) -> -ascending.compare(a, b);
        GeoHash.Found[] points = found.toArray(GeoHash.Found[]::new);
        if (returned == points.length) {
            Arrays.sort(points, comparator);
        } else {
            PartialQuickSort.sort(points, comparator, 0, returned - 1);
        }
        return Arrays.asList(points).subList(0, returned);
    }
    // end::sort[]

    /** A radius argument: a float ("need numeric radius") that is not negative. */
    private static double radius(byte[] arg) {
        double radius = number(arg, "ERR need numeric radius");
        if (radius < 0) {
            throw new RedisException("ERR radius cannot be negative");
        }
        return radius;
    }

    private static double[] memberPosition(RedisSortedSet zset, byte[] member) {
        Double score = zset.score(Bytes.of(member));
        if (score == null) {
            throw new RedisException(COULD_NOT_DECODE);
        }
        return GeoHash.decode(score);
    }

    /** Per point the member alone, or [member, distance?, hash?, [longitude, latitude]?] with any WITH option. */
    private static void writeResults(RespWriter reply, List<GeoHash.Found> results, double toMeters, boolean withDist,
                                     boolean withHash, boolean withCoord) {
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        reply.arrayHeader(results.size());
        for (GeoHash.Found point : results) {
            if (options > 0) {
                reply.arrayHeader(options + 1);
            }
            reply.bulkString(point.member().array());
            if (withDist) {
                distance(reply, point.distance() / toMeters);
            }
            if (withHash) {
                reply.integer((long) point.score());
            }
            if (withCoord) {
                reply.arrayHeader(2);
                coordinate(reply, point.longitude());
                coordinate(reply, point.latitude());
            }
        }
    }

    /**
     * STORE, STOREDIST and GEOSEARCHSTORE: the points as a sorted set under {@code destination} (replacing it and its
     * TTL), scored by geohash or by distance in the unit asked; each point counts as a change. No points delete the
     * destination instead.
     */
    private static void store(Client client, Bytes destination, List<GeoHash.Found> results, boolean storeDist,
                              double toMeters, String event) {
        KeyspaceEvents events = client.server().keyspaceEvents();
        if (results.isEmpty()) {
            if (client.db().remove(destination)) {
                events.modified(client, destination, NotifyKeyspaceEvents.GENERIC, "del", 1);
            }
            return;
        }
        RedisSortedSet zset = new RedisSortedSet();
        for (GeoHash.Found point : results) {
            zset.add(storeDist ? point.distance() / toMeters : point.score(), point.member(), ZAddOptions.NONE, client.db().limits());
        }
        TypeCommands.store(client, client.db(), destination, zset);
        events.modified(client, destination, NotifyKeyspaceEvents.ZSET, event, results.size());
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("geoadd", GeoCommands::geoadd);
        table.handle("geopos", GeoCommands::geopos);
        table.handle("geodist", GeoCommands::geodist);
        table.handle("geohash", GeoCommands::geohash);
        table.handle("georadius", GeoCommands::georadius);
        table.handle("georadius_ro", GeoCommands::georadiusRo);
        table.handle("georadiusbymember", GeoCommands::georadiusbymember);
        table.handle("georadiusbymember_ro", GeoCommands::georadiusbymemberRo);
        table.handle("geosearch", GeoCommands::geosearch);
        table.handle("geosearchstore", GeoCommands::geosearchstore);
    }
}
