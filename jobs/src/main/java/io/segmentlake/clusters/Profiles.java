package io.segmentlake.clusters;

import static io.segmentlake.clusters.ClusterColumns.CLUSTER_ID;
import static io.segmentlake.clusters.ClusterColumns.CLUSTER_NAME;
import static io.segmentlake.clusters.ClusterColumns.CUSTOMERS;
import static io.segmentlake.clusters.ClusterColumns.DISTANCE;
import static io.segmentlake.clusters.ClusterColumns.INDEX;
import static io.segmentlake.clusters.ClusterColumns.RFM_COUNTERPART;
import static io.segmentlake.clusters.ClusterColumns.SHARE;
import static io.segmentlake.clusters.ClusterColumns.average;
import static io.segmentlake.clusters.ClusterColumns.centroid;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.segmentlake.config.ClusterSettings;
import io.segmentlake.config.ClusterSettings.Feature;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** cluster_profiles, and the ids and names of this run's clusters. */
final class Profiles {
  private Profiles() {}

  /**
   * The fitted clusters: the features, the centroids in standardised coordinates, the cluster
   * sizes, and the scaler's mean and standard deviation of each transformed feature.
   */
  record Model(
      List<Feature> features, double[][] centroids, long[] sizes, double[] mean, double[] std) {
    /** Centroid i in the features' original units. */
    double[] original(int i) {
      double[] out = new double[features.size()];
      for (int j = 0; j < out.length; j++) {
        out[j] = Features.transform(features.get(j)).invert(mean[j] + std[j] * centroids[i][j]);
      }
      return out;
    }

    /** A point in original units (feature j at raw[j]) in this run's standardised coordinates. */
    double standardised(int j, double raw) {
      double t = Features.transform(features.get(j)).apply(raw);
      return std[j] > 0 ? (t - mean[j]) / std[j] : 0;
    }
  }

  /** The run's quality figures, repeated on every profile row. */
  record Quality(
      int k,
      String selection,
      double silhouette,
      List<KSearch.Candidate> candidates,
      double withinSumOfSquares,
      int iterations,
      long seed) {
    /** The silhouette of each k searched, e.g. "3=0.412 4=0.538". */
    String search() {
      return candidates.stream()
          .map(c -> String.format(Locale.ROOT, "%d=%.4f", c.k(), c.silhouette()))
          .collect(Collectors.joining(" "));
    }
  }

  /** The id and name of each cluster (by k-means index). */
  record Identified(Matching.Ids ids, List<Naming.Name> names) {
    /** id → name, for the manifest. */
    Map<String, String> describe() {
      Map<String, String> out = new java.util.TreeMap<>();
      for (int i = 0; i < names.size(); i++) {
        out.put(String.valueOf(ids.ids()[i]), names.get(i).name());
      }
      return out;
    }
  }

  /**
   * Ids matched to the previous run's clusters (on the features both runs have, the previous
   * centroids standardised with this run's scaler) and names from the centroids.
   */
  static Identified identify(
      Model m, Stats stats, Optional<Dataset<Row>> previousProfiles, ClusterSettings s) {
    List<Integer> common = new ArrayList<>();
    int[] previousIds = new int[0];
    double[][] previous = new double[0][];
    if (previousProfiles.isPresent()) {
      Dataset<Row> p = previousProfiles.get();
      List<String> columns = Arrays.asList(p.columns());
      for (int j = 0; j < m.features().size(); j++) {
        if (columns.contains(centroid(Features.column(m.features().get(j))))) {
          common.add(j);
        }
      }
      if (!common.isEmpty() && columns.contains(CLUSTER_ID)) {
        List<Column> select = new ArrayList<>(List.of(col(CLUSTER_ID)));
        common.forEach(
            j -> select.add(col(centroid(Features.column(m.features().get(j)))).cast("double")));
        List<Row> rows =
            p.select(select.toArray(Column[]::new)).orderBy(CLUSTER_ID).collectAsList();
        previousIds = rows.stream().mapToInt(r -> ((Number) r.get(0)).intValue()).toArray();
        previous = new double[rows.size()][common.size()];
        for (int r = 0; r < rows.size(); r++) {
          for (int c = 0; c < common.size(); c++) {
            previous[r][c] = m.standardised(common.get(c), rows.get(r).getDouble(c + 1));
          }
        }
      }
    }
    double[][] current = new double[m.centroids().length][common.size()];
    for (int i = 0; i < current.length; i++) {
      for (int c = 0; c < common.size(); c++) {
        current[i][c] = m.centroids()[i][common.get(c)];
      }
    }
    Matching.Ids ids =
        Matching.ids(current, m.sizes(), previousIds, previous, s.maxMatchDistance());
    List<Map<Feature, Double>> z = new ArrayList<>();
    List<Map<Feature, Double>> averages = new ArrayList<>();
    for (int i = 0; i < m.centroids().length; i++) {
      Map<Feature, Double> zi = new EnumMap<>(Feature.class);
      for (int j = 0; j < m.features().size(); j++) {
        zi.put(m.features().get(j), m.centroids()[i][j]);
      }
      z.add(zi);
      averages.add(stats.averages(i));
    }
    return new Identified(ids, Naming.names(z, averages, ids.ids()));
  }

  /**
   * Customers, the mean of every feature (original units) and the sum of squared distances per
   * cluster index, in one pass; a cluster no customer is nearest to has 0 customers and NaN means.
   * The sums are exact decimals (values rounded to 1e-12), so they do not depend on the order in
   * which partitions are added up: the same customers give the same figures to the last bit.
   */
  static Stats stats(Dataset<Row> assigned, List<Feature> features, int k) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(exactSum(col(DISTANCE).multiply(col(DISTANCE))));
    features.forEach(f -> aggregates.add(exactSum(col(Features.column(f)))));
    long[] sizes = new long[k];
    double[][] averages = new double[k][features.size()];
    for (double[] a : averages) {
      Arrays.fill(a, Double.NaN);
    }
    BigDecimal squares = BigDecimal.ZERO;
    for (Row r :
        assigned
            .groupBy(col(INDEX))
            .agg(count(lit(1)), aggregates.toArray(Column[]::new))
            .collectAsList()) {
      int i = r.getInt(0);
      sizes[i] = r.getLong(1);
      squares = squares.add(r.getDecimal(2));
      BigDecimal n = BigDecimal.valueOf(sizes[i]);
      for (int j = 0; j < features.size(); j++) {
        averages[i][j] = r.getDecimal(j + 3).divide(n, MathContext.DECIMAL128).doubleValue();
      }
    }
    return new Stats(features, sizes, averages, squares.doubleValue());
  }

  private static Column exactSum(Column x) {
    return sum(x.cast(DataTypes.createDecimalType(38, 12)));
  }

  /**
   * Customers, the means of the described features (in their order) per cluster index, and the
   * within-cluster sum of squared distances.
   */
  record Stats(
      List<Feature> described, long[] sizes, double[][] averages, double withinSumOfSquares) {
    /** Cluster i's means by feature. */
    Map<Feature, Double> averages(int i) {
      Map<Feature, Double> out = new EnumMap<>(Feature.class);
      for (int j = 0; j < described.size(); j++) {
        out.put(described.get(j), averages[i][j]);
      }
      return out;
    }
  }

  /** One row per cluster, in order of id. */
  static Dataset<Row> table(SparkSession spark, Model m, Stats stats, Identified c, Quality q) {
    List<String> columns = m.features().stream().map(Features::column).toList();
    List<String> described = stats.described().stream().map(Features::column).toList();
    long total = Arrays.stream(m.sizes()).sum();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < m.centroids().length; i++) {
      List<Object> v = new ArrayList<>();
      v.add(c.ids().ids()[i]);
      v.add(c.names().get(i).name());
      v.add(c.names().get(i).rfmCounterpart());
      v.add(m.sizes()[i]);
      v.add((double) m.sizes()[i] / total);
      for (double x : m.original(i)) {
        v.add(x);
      }
      for (double x : stats.averages()[i]) {
        v.add(x);
      }
      v.add(c.ids().isMatched(i) ? "kept" : "new");
      v.add(c.ids().isMatched(i) ? c.ids().distances()[i] : null);
      v.add(q.k());
      v.add(q.selection());
      v.add(q.silhouette());
      v.add(q.search());
      v.add(q.withinSumOfSquares());
      v.add(q.iterations());
      v.add(String.join(",", columns));
      v.add(q.seed());
      rows.add(RowFactory.create(v.toArray()));
    }
    rows.sort((a, b) -> Integer.compare(a.getInt(0), b.getInt(0)));
    return spark.createDataFrame(rows, schema(columns, described));
  }

  private static StructType schema(List<String> features, List<String> described) {
    StructType t =
        new StructType()
            .add(CLUSTER_ID, DataTypes.IntegerType, false)
            .add(CLUSTER_NAME, DataTypes.StringType, false)
            .add(RFM_COUNTERPART, DataTypes.StringType, false)
            .add(CUSTOMERS, DataTypes.LongType, false)
            .add(SHARE, DataTypes.DoubleType, false);
    for (String f : features) {
      t = t.add(centroid(f), DataTypes.DoubleType, false);
    }
    for (String f : described) {
      t = t.add(average(f), DataTypes.DoubleType, false);
    }
    return t.add("id_origin", DataTypes.StringType, false)
        .add("distance_to_previous", DataTypes.DoubleType, true)
        .add("k", DataTypes.IntegerType, false)
        .add("k_selection", DataTypes.StringType, false)
        .add("silhouette", DataTypes.DoubleType, false)
        .add("k_search", DataTypes.StringType, false)
        .add("within_cluster_sum_of_squares", DataTypes.DoubleType, false)
        .add("iterations", DataTypes.IntegerType, false)
        .add("features", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false);
  }
}
