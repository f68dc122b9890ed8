package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The grid of radius searches: cells of 0.01° latitude × 0.02° longitude, one number each. */
class GeoCellsTest {

    @Test
    void aPointsCellCombinesItsLatitudeAndLongitudeCells() {
        assertThat(GeoCells.cellOf(60.1699, 24.9384)).isEqualTo(6016L * 100_000 + 1246);
        assertThat(GeoCells.cellOf(0.005, 0.01)).isEqualTo(0L);
        assertThat(GeoCells.cellOf(null, 24.9)).isNull();
        assertThat(GeoCells.cellOf(60.1, null)).isNull();
    }

    @Test
    void negativeCoordinatesFloorTowardsTheSouthAndWest() {
        // just south of the equator and west of Greenwich is cell -1 on each axis, not 0
        assertThat(GeoCells.cellOf(-0.005, -0.01)).isEqualTo(-1L * 100_000 - 1);
        assertThat(GeoCells.cellOf(-33.8688, 151.2093)).isEqualTo(-3387L * 100_000 + 7560);
        assertThat(GeoCells.cellOf(-90.0, -180.0)).isEqualTo(-9000L * 100_000 - 9000);
        assertThat(GeoCells.cellOf(90.0, 180.0)).isEqualTo(9000L * 100_000 + 9000);
    }

    @Test
    void cellsAcrossTheEquatorAndTheAntimeridianAreAllDistinct() {
        Set<Long> cells = new HashSet<>();
        // one point in each of 7 latitude cells and 6 longitude cells, from pole to pole and around the globe
        for (double lat : new double[] {-90, -45.005, -0.005, 0.005, 45.005, 89.995, 90}) {
            for (double lon : new double[] {-180, -179.97, -0.01, 0.01, 179.99, 180}) {
                cells.add(GeoCells.cellOf(lat, lon));
            }
        }
        assertThat(cells).hasSize(7 * 6);
    }

    @Test
    void aBoundaryPointBelongsToTheCellNorthAndEastOfIt() {
        assertThat(GeoCells.cellOf(60.17, 24.94)).isEqualTo(6017L * 100_000 + 1247);
        assertThat(GeoCells.cellOf(60.169999, 24.939999)).isEqualTo(6016L * 100_000 + 1246);
        assertThat(GeoCells.cellOf(0.0, 0.0)).isEqualTo(0L);
        assertThat(GeoCells.cellOf(-0.0, -0.0)).isEqualTo(0L);
    }

    @Test
    void aBoxCoversOneTwoOrFourCells() {
        assertThat(GeoCells.covering(60.171, 24.941, 60.179, 24.959, 25)).containsExactly(601701247L);
        assertThat(GeoCells.covering(60.171, 24.955, 60.179, 24.965, 25)).containsExactly(601701247L, 601701248L);
        assertThat(GeoCells.covering(60.175, 24.955, 60.185, 24.965, 25))
                .containsExactly(601701247L, 601701248L, 601801247L, 601801248L);
        // around the origin: the four cells of the four signs
        assertThat(GeoCells.covering(-0.001, -0.001, 0.001, 0.001, 25)).containsExactlyInAnyOrder(
                -100_001L, -100_000L, -1L, 0L);
    }

    @Test
    void everyPointOfABoxIsInOneOfItsCells() {
        double minLat = 60.1655;
        double minLon = 24.9301;
        double maxLat = 60.1745;
        double maxLon = 24.9479;
        List<Long> cells = GeoCells.covering(minLat, minLon, maxLat, maxLon, 25);
        for (double lat = minLat; lat <= maxLat; lat += 0.0005) {
            for (double lon = minLon; lon <= maxLon; lon += 0.0005) {
                assertThat(cells).contains(GeoCells.cellOf(lat, lon));
            }
        }
    }

    @Test
    void aBoxOfMoreCellsThanAllowedCoversNone() {
        assertThat(GeoCells.covering(60.101, 24.801, 60.149, 24.889, 25)).hasSize(25);
        assertThat(GeoCells.covering(60.101, 24.801, 60.151, 24.889, 25)).isEmpty();
    }

    @Test
    void theBoxHoldsTheWholeCircle() {
        GeoCells.Box box = GeoCells.around(60.17, 24.94, 1000);
        // due north, east, south and west at 999.9 m lie inside it
        assertThat(box.maxLat()).isGreaterThan(destination(60.17, 24.94, 999.9, 0)[0]);
        assertThat(box.maxLon()).isGreaterThan(destination(60.17, 24.94, 999.9, 90)[1]);
        assertThat(box.minLat()).isLessThan(destination(60.17, 24.94, 999.9, 180)[0]);
        assertThat(box.minLon()).isLessThan(destination(60.17, 24.94, 999.9, 270)[1]);
        // a circle around a pole holds every longitude
        GeoCells.Box polar = GeoCells.around(89.999, 10, 1000);
        assertThat(polar.minLon()).isLessThanOrEqualTo(-180);
        assertThat(polar.maxLon()).isGreaterThanOrEqualTo(180);
    }

    @Test
    void theCornersOfTheBoxOutsideTheCircleAreLeftOut() {
        List<Long> near = GeoCells.near(60.175, 24.95, 2000, 100);
        GeoCells.Box box = GeoCells.around(60.175, 24.95, 2000);
        List<Long> boxCells = GeoCells.covering(box.minLat(), box.minLon(), box.maxLat(), box.maxLon(), 100);

        assertThat(boxCells).hasSize(25);
        assertThat(near).hasSize(21).isSubsetOf(boxCells)
                .doesNotContain(GeoCells.cellOf(box.minLat(), box.minLon()), GeoCells.cellOf(box.maxLat(), box.maxLon()));
        assertThat(GeoCells.near(60.175, 24.95, 2000, 20)).isEmpty();
    }

    @Test
    void everyPointWithinTheRadiusLiesInOneOfTheNearCells() {
        java.util.Random random = new java.util.Random(6);
        double[][] centres = {{60.17, 24.94}, {-33.8688, 151.2093}, {0.0001, -0.0001}, {-45.005, -0.01}, {64.1, -21.9}};
        for (double[] centre : centres) {
            for (double radius : new double[] {0, 1, 100, 500, 1000, 2000}) {
                List<Long> cells = GeoCells.near(centre[0], centre[1], radius, 25);
                GeoCells.Box box = GeoCells.around(centre[0], centre[1], radius);
                assertThat(cells).as("cells near %s, %s within %s m", centre[0], centre[1], radius).isNotEmpty();
                for (int i = 0; i < 2000; i++) {
                    double[] point = destination(centre[0], centre[1], radius * Math.sqrt(random.nextDouble()), random.nextDouble() * 360);
                    // the query also checks the box: a point that rounding put outside it is not found anyway
                    boolean inBox = point[0] >= box.minLat() && point[0] <= box.maxLat()
                            && point[1] >= box.minLon() && point[1] <= box.maxLon();
                    if (inBox) {
                        assertThat(cells).contains(GeoCells.cellOf(point[0], point[1]));
                    }
                }
            }
        }
    }

    /** The point {@code metres} from (lat, lon) in the direction {@code bearing} (degrees from north). */
    private static double[] destination(double lat, double lon, double metres, double bearing) {
        double angle = metres / GeoCells.EARTH_RADIUS_METRES;
        double phi = Math.toRadians(lat);
        double theta = Math.toRadians(bearing);
        double lat2 = Math.asin(Math.sin(phi) * Math.cos(angle) + Math.cos(phi) * Math.sin(angle) * Math.cos(theta));
        double lon2 = Math.toRadians(lon) + Math.atan2(Math.sin(theta) * Math.sin(angle) * Math.cos(phi),
                Math.cos(angle) - Math.sin(phi) * Math.sin(lat2));
        return new double[] {Math.toDegrees(lat2), Math.toDegrees(lon2)};
    }
}
