package io.segmentlake.clusters;

import static io.segmentlake.clusters.ClusterColumns.DISTANCE;
import static io.segmentlake.clusters.ClusterColumns.INDEX;
import static io.segmentlake.clusters.ClusterColumns.SCALED;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.config.ClusterSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * MLlib's k-means on the whole base: the chosen k refined from the sample's best centroids (a few
 * Lloyd iterations, not a new initialisation), and every customer assigned to its nearest centroid
 * by column expressions.
 */
final class FullFit {
  private static final String ARRAY = "_array";
  private static final String SQUARES = "_squares";

  private FullFit() {}

  /** The centroids, within-cluster sum of squares and iterations of the fit on every point. */
  record Fit(double[][] centroids, double withinSumOfSquares, int iterations) {}

  /** The scaled points as MLlib vectors, cached (the caller unpersists them). */
  private static JavaRDD<Vector> points(Dataset<Row> scaled) {
    return scaled
        .select(col(SCALED))
        .javaRDD()
        .map(r -> Vectors.fromML(r.getAs(0)))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Lloyd iterations over every scaled point from the initial centroids. */
  static Fit refine(Dataset<Row> scaled, double[][] initial, ClusterSettings s) {
    JavaRDD<Vector> points = points(scaled);
    try {
      Vector[] centres = Arrays.stream(initial).map(Vectors::dense).toArray(Vector[]::new);
      KMeans kmeans =
          new KMeans()
              .setK(initial.length)
              .setSeed(s.seed())
              .setMaxIterations(s.maxIterations())
              .setEpsilon(s.tolerance())
              .setInitialModel(new KMeansModel(centres));
      KMeansModel model = kmeans.run(points.rdd());
      double[][] centroids =
          Arrays.stream(model.clusterCenters()).map(Vector::toArray).toArray(double[][]::new);
      return new Fit(centroids, model.trainingCost(), model.numIter());
    } finally {
      points.unpersist(false);
    }
  }

  /**
   * Adds INDEX (the nearest centroid, the first on a tie; null for a null point) and DISTANCE
   * (Euclidean, in standard deviations) to scaled points. The squares are summed coordinate by
   * coordinate in order, by plain arithmetic, so that the whole projection is generated code.
   */
  static Dataset<Row> assign(Dataset<Row> scaled, double[][] centroids) {
    List<Column> columns = new ArrayList<>();
    Arrays.stream(scaled.columns()).forEach(c -> columns.add(col(c)));
    List<Column> withSquares = new ArrayList<>(columns);
    Column[] squares = new Column[centroids.length];
    for (int i = 0; i < centroids.length; i++) {
      Column sum = null;
      for (int j = 0; j < centroids[i].length; j++) {
        Column d = col(ARRAY).getItem(j).minus(lit(centroids[i][j]));
        sum = sum == null ? d.multiply(d) : sum.plus(d.multiply(d));
      }
      withSquares.add(sum.as(SQUARES + i));
      squares[i] = col(SQUARES + i);
    }
    Column nearest = least(squares);
    Column index = null;
    for (int i = centroids.length - 1; i >= 0; i--) {
      Column is = when(squares[i].equalTo(nearest), lit(i));
      index = index == null ? is : is.otherwise(index);
    }
    columns.add(index.as(INDEX));
    columns.add(sqrt(nearest).as(DISTANCE));
    return scaled
        .withColumn(ARRAY, vector_to_array(col(SCALED), "float64"))
        .select(withSquares.toArray(Column[]::new))
        .select(columns.toArray(Column[]::new));
  }
}
