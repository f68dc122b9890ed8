package org.open311.gateway.requests;

import java.util.ArrayList;
import java.util.List;

/**
 * The grid behind radius searches: the globe cut into cells of 0.01° latitude × 0.02° longitude (about
 * 1.1 km × 1.1 km at Helsinki), each named by one number stored in {@code service_request.geo_cell}. A
 * radius search reads only the cells its circle's bounding box covers, through the index that starts
 * with geo_cell (V6 migration), instead of walking every request of the 90-day window.
 *
 * <p>The arithmetic is exactly the V6 migration's backfill ({@code FLOOR(lat * 100)}, {@code FLOOR(lon *
 * 50)}, both in double precision), so that a row written by Java and one backfilled in SQL get the same
 * cell, also at a cell boundary.
 */
public final class GeoCells {

    static final int LAT_CELLS_PER_DEGREE = 100;
    static final int LON_CELLS_PER_DEGREE = 50;
    /**
     * Combines the two cell numbers into one: a longitude cell lies in -9,000..9,000, so a factor above
     * 18,000 keeps every cell of the globe distinct, negative coordinates included. 100,000 keeps the
     * number readable (60.17, 24.94 is cell 6017_01247).
     */
    static final long LAT_FACTOR = 100_000;
    /** The sphere of every distance here and in RequestQuery's SQL. */
    static final double EARTH_RADIUS_METRES = 6_371_000;
    /**
     * A cell is kept when its nearest point is this much beyond the radius too: the nearest point is
     * taken on the cell's edges in degrees (off by well under a metre from the true one for cells of
     * a kilometre) and the query's own distance formula rounds differently. Keeping a cell too many
     * costs one branch; dropping one would lose requests.
     */
    private static final double MARGIN_METRES = 10;

    private GeoCells() {
    }

    /** The cell of a point, or null when the point has no coordinates (a service object only). */
    public static Long cellOf(Double lat, Double lon) {
        if (lat == null || lon == null) {
            return null;
        }
        return cell(latCell(lat), lonCell(lon));
    }

    /**
     * Every cell that a box from (minLat, minLon) to (maxLat, maxLon) touches, or an empty list when they
     * are more than {@code max}.
     */
    public static List<Long> covering(double minLat, double minLon, double maxLat, double maxLon, int max) {
        return cells(minLat, minLon, maxLat, maxLon, max, (latCell, lonCell) -> true);
    }

    /** A box of latitudes and longitudes in degrees. */
    public record Box(double minLat, double minLon, double maxLat, double maxLon) {
    }

    /**
     * The smallest box that holds every point within {@code radius} metres of (lat, lon): its latitude
     * span is the radius's angle, its longitude span the widest the circle gets (all longitudes when the
     * circle holds a pole). Longitudes are not wrapped at the antimeridian.
     */
    public static Box around(double lat, double lon, double radius) {
        double angle = radius / EARTH_RADIUS_METRES;
        double latDelta = Math.toDegrees(angle);
        double widest = Math.sin(angle) / Math.cos(Math.toRadians(lat));
        double lonDelta = widest >= 1 ? 360 : Math.toDegrees(Math.asin(widest));
        return new Box(lat - latDelta, lon - lonDelta, lat + latDelta, lon + lonDelta);
    }

    /**
     * The cells that come within {@code radius} metres of (lat, lon), or an empty list when they are more
     * than {@code max} (the caller then searches without cells). Of the circle's bounding box, the corner
     * cells often lie wholly outside the circle, and a branch for such a cell would read all its requests
     * to find none.
     */
    public static List<Long> near(double lat, double lon, double radius, int max) {
        Box box = around(lat, lon, radius);
        return cells(box.minLat(), box.minLon(), box.maxLat(), box.maxLon(), max,
                (latCell, lonCell) -> nearestMetres(latCell, lonCell, lat, lon) <= radius + MARGIN_METRES);
    }

    private interface CellTest {
        boolean keep(long latCell, long lonCell);
    }

    private static List<Long> cells(double minLat, double minLon, double maxLat, double maxLon, int max, CellTest test) {
        // a circle touches most cells of its box (about pi/4): a box of over 4 x max cells is not worth listing
        if (boxCells(minLat, minLon, maxLat, maxLon) > 4L * max) {
            return List.of();
        }
        List<Long> cells = new ArrayList<>();
        for (long lat = latCell(minLat); lat <= latCell(maxLat); lat++) {
            for (long lon = lonCell(minLon); lon <= lonCell(maxLon); lon++) {
                if (test.keep(lat, lon)) {
                    cells.add(cell(lat, lon));
                }
            }
        }
        return cells.size() > max ? List.of() : cells;
    }

    private static long boxCells(double minLat, double minLon, double maxLat, double maxLon) {
        return (latCell(maxLat) - latCell(minLat) + 1) * (lonCell(maxLon) - lonCell(minLon) + 1);
    }

    /** Great-circle distance from (lat, lon) to the nearest point of a cell (0 inside it). */
    static double nearestMetres(long latCell, long lonCell, double lat, double lon) {
        double nearestLat = clamp(lat, (double) latCell / LAT_CELLS_PER_DEGREE, (double) (latCell + 1) / LAT_CELLS_PER_DEGREE);
        double nearestLon = clamp(lon, (double) lonCell / LON_CELLS_PER_DEGREE, (double) (lonCell + 1) / LON_CELLS_PER_DEGREE);
        return metres(lat, lon, nearestLat, nearestLon);
    }

    /** Great-circle distance on the sphere of the query's distance formula (haversine: no rounding trouble up close). */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double h = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static long latCell(double lat) {
        return (long) Math.floor(lat * LAT_CELLS_PER_DEGREE);
    }

    private static long lonCell(double lon) {
        return (long) Math.floor(lon * LON_CELLS_PER_DEGREE);
    }

    private static long cell(long latCell, long lonCell) {
        return latCell * LAT_FACTOR + lonCell;
    }
}
