package io.segmentlake.clusters;

import static io.segmentlake.Fixtures.line;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmentlake.Fixtures;
import io.segmentlake.config.ClusterSettings;
import io.segmentlake.config.ClusterSettings.Feature;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.mllib.clustering.VectorWithNorm;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The parts of the clusters stage with hand-computed expectations. */
class ClusterPartsTest {
  private static final LocalDate AS_OF = LocalDate.parse("2025-03-01");

  /** Scaled points by customer, as the k search and the assignment read them. */
  private static final StructType SCALED_POINTS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add(ClusterColumns.SCALED, new VectorUDT());

  /**
   * A: purchases on Jan 1 (2 x 10 + 1 x 5, web), Jan 11 (30), Feb 10 (3 x 10) and a return on Jan
   * 31 (-5); B: one purchase of 50 on Feb 20; C: only a return (not clustered).
   */
  private static Dataset<Row> invoices() {
    return Fixtures.invoices(
            line("I1", "A", "2025-01-01T10:00", 2, 10.0),
            line("I1", "A", "2025-01-01T10:00", 1, 5.0),
            line("I2", "A", "2025-01-11T10:00", 1, 30.0),
            line("I3", "A", "2025-01-31T10:00", -1, 5.0),
            line("I4", "A", "2025-02-10T10:00", 3, 10.0),
            line("I5", "B", "2025-02-20T10:00", 1, 50.0),
            line("I6", "C", "2025-02-21T10:00", -1, 50.0))
        .withColumn(
            "channel", when(col("invoice_id").equalTo("I1"), lit("web")).otherwise("store"));
  }

  @Test
  void featuresInOriginalUnitsByHand() {
    Dataset<Row> products =
        Fixtures.rows(
            new StructType()
                .add("product_id", DataTypes.StringType)
                .add("unit_cost", DataTypes.DoubleType)
                .add("margin_rate", DataTypes.DoubleType),
            List.of(RowFactory.create("P1", 4.0, null)));
    Dataset<Row> points =
        Fixtures.rows(
            new StructType()
                .add("customer_id", DataTypes.StringType)
                .add("points", DataTypes.DoubleType),
            List.of(RowFactory.create("A", 12.5)));
    List<Feature> all = List.of(Feature.values());
    Map<String, Row> byCustomer = new java.util.HashMap<>();
    Features.compute(invoices(), Optional.of(products), Optional.of(points), AS_OF, all)
        .collectAsList()
        .forEach(r -> byCustomer.put(r.getString(0), r));

    assertThat(byCustomer).containsOnlyKeys("A", "B");
    Row a = byCustomer.get("A");
    // Feb 10 -> Mar 1 is 19 days, Jan 1 -> Mar 1 is 59; 3 purchases, net 25 + 30 - 5 + 30 = 80.
    assertThat(value(a, Feature.RECENCY)).isEqualTo(19);
    assertThat(value(a, Feature.TENURE)).isEqualTo(59);
    assertThat(value(a, Feature.FREQUENCY)).isEqualTo(3);
    assertThat(value(a, Feature.MONETARY)).isEqualTo(80);
    assertThat(value(a, Feature.PURCHASE_RATE)).isCloseTo(3 / (59 / 30.0), within(1e-9));
    assertThat(value(a, Feature.SPEND_RATE)).isCloseTo(80 / (59 / 30.0), within(1e-9));
    assertThat(value(a, Feature.AVERAGE_ORDER_VALUE)).isCloseTo(80 / 3.0, within(1e-9));
    // Margin at cost 4: 2 x 6 + 1 x 1 + 1 x 26 - 1 x 1 + 3 x 6 = 56.
    assertThat(value(a, Feature.MARGIN)).isCloseTo(56, within(1e-9));
    // Purchase days Jan 1, Jan 11, Feb 10: gaps 10 and 30, median 20.
    assertThat(value(a, Feature.MEDIAN_INTERVAL)).isEqualTo(20);
    assertThat(value(a, Feature.WEB_SHARE)).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(value(a, Feature.POINTS)).isEqualTo(12.5);

    Row b = byCustomer.get("B");
    // One purchase 9 days ago: a month of tenure at least, the gap at least 9 days, no points.
    assertThat(value(b, Feature.PURCHASE_RATE)).isEqualTo(1);
    assertThat(value(b, Feature.SPEND_RATE)).isEqualTo(50);
    assertThat(value(b, Feature.MEDIAN_INTERVAL)).isEqualTo(9);
    assertThat(value(b, Feature.WEB_SHARE)).isEqualTo(0);
    assertThat(value(b, Feature.POINTS)).isEqualTo(0);
  }

  @Test
  void transformsAreLogsOfTheSkewedMeasuresAndInvertible() {
    Dataset<Row> t =
        Features.transform(
            Features.compute(
                invoices(),
                Optional.empty(),
                Optional.empty(),
                AS_OF,
                List.of(Feature.RECENCY, Feature.MONETARY, Feature.WEB_SHARE)),
            List.of(Feature.RECENCY, Feature.MONETARY, Feature.WEB_SHARE));
    Row a = t.where(col("customer_id").equalTo("A")).first();
    assertThat(a.<Double>getAs(Features.transformed(Feature.RECENCY)))
        .isCloseTo(Math.log(20), within(1e-12));
    assertThat(a.<Double>getAs(Features.transformed(Feature.MONETARY)))
        .isCloseTo(Math.log(81), within(1e-12));
    assertThat(a.<Double>getAs(Features.transformed(Feature.WEB_SHARE)))
        .isCloseTo(1 / 3.0, within(1e-12));
    Features.Transform signed = Features.transform(Feature.MONETARY);
    assertThat(signed.apply(-5.0)).isCloseTo(-Math.log(6), within(1e-12));
    assertThat(signed.invert(signed.apply(-5.0))).isCloseTo(-5.0, within(1e-12));
    assertThat(Features.transform(Feature.TENURE).invert(Math.log(60))).isCloseTo(59, within(1e-9));
  }

  @Test
  void eachPointGoesToItsNearestCentroidTheFirstOnATie() {
    Dataset<Row> points =
        Fixtures.rows(
            SCALED_POINTS,
            List.of(
                RowFactory.create("near-2", Vectors.dense(3.0, 4.5)),
                RowFactory.create("tie-0-1", Vectors.dense(0.0, 1.0)),
                RowFactory.create("tie-1-2", Vectors.dense(1.5, 2.0))));
    double[][] centroids = {{-1, 1}, {1, 1}, {2, 3}};
    Map<String, Row> out = new java.util.HashMap<>();
    for (Row r : FullFit.assign(points, centroids).collectAsList()) {
      out.put(r.getString(0), r);
    }
    // near-2: (1, 1.5) from centroid 2, squares 1 + 2.25; ties: (1, 0) from 0 and 1, and
    // (0.5, 1) from 1 and (0.5, 1) from 2.
    assertThat(out.get("near-2").<Integer>getAs(ClusterColumns.INDEX)).isEqualTo(2);
    assertThat(out.get("near-2").<Double>getAs(ClusterColumns.DISTANCE))
        .isCloseTo(Math.sqrt(3.25), within(1e-12));
    assertThat(out.get("tie-0-1").<Integer>getAs(ClusterColumns.INDEX)).isEqualTo(0);
    assertThat(out.get("tie-0-1").<Double>getAs(ClusterColumns.DISTANCE)).isEqualTo(1.0);
    assertThat(out.get("tie-1-2").<Integer>getAs(ClusterColumns.INDEX)).isEqualTo(1);
    assertThat(out.get("tie-1-2").<Double>getAs(ClusterColumns.DISTANCE))
        .isCloseTo(Math.sqrt(1.25), within(1e-12));
    assertThat(FullFit.assign(points, centroids).columns())
        .containsExactly(
            "customer_id", ClusterColumns.SCALED, ClusterColumns.INDEX, ClusterColumns.DISTANCE);
  }

  @Test
  void theWithinSumOfSquaresCountsEachPointAtItsNearestCentroid() {
    VectorWithNorm[] points = {
      new VectorWithNorm(new double[] {0, 0}),
      new VectorWithNorm(new double[] {2, 0}),
      new VectorWithNorm(new double[] {10, 1})
    };
    // (0,0) and (2,0) are 1 from (1,0); (10,1) is 1 from (10,0): 1 + 1 + 1.
    assertThat(KSearch.withinSumOfSquares(points, new double[][] {{1, 0}, {10, 0}})).isEqualTo(3.0);
  }

  @Test
  void theStartsHaveDistinctSeedsDrawnFromTheConfiguredOne() {
    ClusterSettings s =
        new ClusterSettings(
            List.of(Feature.RECENCY), OptionalInt.empty(), 2, 5, 42, 3, 20_000, 30, 1e-3, 1.0);
    int[] seeds = KSearch.seeds(s);
    assertThat(seeds).hasSize(3).doesNotHaveDuplicates().isEqualTo(KSearch.seeds(s));
    // Not the configured seed and its neighbours, whose first random draws nearly coincide.
    assertThat(seeds).doesNotContain(42, 43, 44);
  }

  @Test
  void theSilhouettePicksTheObviousK() {
    List<Row> rows = new ArrayList<>();
    Random r = new Random(3);
    double[][] blobs = {{0, 0}, {10, 0}, {0, 10}};
    for (int i = 0; i < 300; i++) {
      double[] c = blobs[i % 3];
      rows.add(
          RowFactory.create(
              "C" + i,
              Vectors.dense(c[0] + r.nextGaussian() * 0.3, c[1] + r.nextGaussian() * 0.3)));
    }
    Dataset<Row> points = Fixtures.rows(SCALED_POINTS, rows);
    ClusterSettings s =
        new ClusterSettings(
            List.of(Feature.RECENCY), OptionalInt.empty(), 2, 5, 42, 1, 20_000, 30, 1e-3, 1.0);
    List<KSearch.Candidate> candidates = KSearch.candidates(points, s);
    assertThat(candidates).extracting(KSearch.Candidate::k).containsExactly(2, 3, 4, 5);
    assertThat(KSearch.best(candidates).k()).isEqualTo(3);
    assertThat(KSearch.best(candidates).silhouette()).isGreaterThan(0.9);
  }

  @Test
  void hungarianFindsTheMinimumTotalWhereGreedyDoesNot() {
    // Greedy takes (0,0) = 1 and is left with (1,1) = 10; the optimum is 2 + 1.
    assertThat(Matching.assign(new double[][] {{1, 2}, {1, 10}})).containsExactly(1, 0);
    // More rows than columns: the row left over gets -1.
    assertThat(Matching.assign(new double[][] {{5}, {1}, {3}})).containsExactly(-1, 0, -1);
  }

  @Test
  void idsFollowTheCentroidsWhenTheyArePermutedOrShiftSlightly() {
    double[][] previous = {{0, 0}, {5, 0}, {0, 5}};
    int[] previousIds = {1, 2, 3};
    long[] sizes = {10, 20, 30};
    Matching.Ids permuted =
        Matching.ids(
            new double[][] {{0, 5}, {0, 0}, {5.1, 0.1}}, sizes, previousIds, previous, 1.0);
    assertThat(permuted.ids()).containsExactly(3, 1, 2);
    assertThat(permuted.kept()).isEqualTo(3);
    assertThat(permuted.distances()[2]).isCloseTo(Math.sqrt(0.02), within(1e-12));

    // One cluster moved far: a new id after the largest previous one; a fourth cluster too.
    Matching.Ids moved =
        Matching.ids(
            new double[][] {{0, 0}, {9, 9}, {0, 5}, {5, 0.2}},
            new long[] {1, 2, 3, 4},
            previousIds,
            previous,
            1.0);
    assertThat(moved.ids()).containsExactly(1, 4, 3, 2);
    assertThat(moved.isMatched(1)).isFalse();
  }

  @Test
  void aFirstRunNumbersClustersByDescendingSize() {
    Matching.Ids first =
        Matching.ids(
            new double[][] {{0}, {1}, {2}}, new long[] {5, 50, 20}, new int[0], new double[0][], 1);
    assertThat(first.ids()).containsExactly(3, 1, 2);
    assertThat(first.kept()).isZero();
  }

  @Test
  void namesComeFromTheCentroidAgainstTheBase() {
    assertThat(
            Naming.name(
                z(Feature.RECENCY, -1.0, Feature.PURCHASE_RATE, 1.0, Feature.SPEND_RATE, 0.8),
                Map.of(Feature.FREQUENCY, 20.0)))
        .isEqualTo(new Naming.Name("Recent frequent high spenders", "Champions"));
    assertThat(
            Naming.name(
                z(Feature.RECENCY, 1.2, Feature.PURCHASE_RATE, -0.8, Feature.SPEND_RATE, -0.7),
                Map.of(Feature.FREQUENCY, 1.0)))
        .isEqualTo(new Naming.Name("Lapsed low-spending one-timers", "Lost"));
    assertThat(
            Naming.name(
                z(Feature.RECENCY, -0.9, Feature.TENURE, -1.2, Feature.SPEND_RATE, 0.1),
                Map.of(Feature.FREQUENCY, 1.3)))
        .isEqualTo(new Naming.Name("New one-timers", "New Customers"));
    assertThat(
            Naming.name(
                z(Feature.RECENCY, 1.0, Feature.MONETARY, 2.0, Feature.FREQUENCY, 1.6),
                Map.of(Feature.FREQUENCY, 30.0)))
        .isEqualTo(new Naming.Name("Lapsed very frequent top spenders", "Can't Lose Them"));
    assertThat(
            Naming.name(
                z(Feature.RECENCY, 0.1, Feature.SPEND_RATE, -0.1), Map.of(Feature.FREQUENCY, 4.0)))
        .isEqualTo(new Naming.Name("Typical customers", "Need Attention"));

    // Two clusters that would share a name get their ids.
    Map<Feature, Double> same = z(Feature.RECENCY, 1.0, Feature.SPEND_RATE, 0.0);
    List<Naming.Name> twins =
        Naming.names(
            List.of(same, same),
            List.of(Map.of(Feature.FREQUENCY, 3.0), Map.of(Feature.FREQUENCY, 4.0)),
            new int[] {4, 7});
    assertThat(twins)
        .extracting(Naming.Name::name)
        .containsExactly("Lapsed buyers (4)", "Lapsed buyers (7)");
  }

  private static Map<Feature, Double> z(Object... pairs) {
    Map<Feature, Double> z = new EnumMap<>(Feature.class);
    for (int i = 0; i < pairs.length; i += 2) {
      z.put((Feature) pairs[i], (Double) pairs[i + 1]);
    }
    return z;
  }

  private static double value(Row r, Feature f) {
    return r.<Double>getAs(Features.column(f));
  }
}
