package io.segmentlake.clusters;

import static io.segmentlake.clusters.ClusterColumns.CUSTOMER_ID;
import static io.segmentlake.clusters.ClusterColumns.INDEX;
import static io.segmentlake.clusters.ClusterColumns.SCALED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.segmentlake.config.ClusterSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.mllib.clustering.LocalKMeans;
import org.apache.spark.mllib.clustering.VectorWithNorm;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The search for k on a bounded random sample, so that it costs the same at any base size: each k
 * of the range is fitted from several seeds, the fit with the lowest within-cluster sum of squares
 * kept, and scored by its silhouette on the sample.
 */
final class KSearch {
  private static final long BUCKETS = 1_000_000;

  /** Silhouettes run concurrently: on a small sample each is bound by job scheduling, not cores. */
  private static final int THREADS = 4;

  private KSearch() {}

  /** One candidate k: its best fit's centroids, silhouette and within-cluster sum of squares. */
  record Candidate(int k, double silhouette, double withinSumOfSquares, double[][] centroids) {}

  /**
   * About silhouette-sample customers, chosen by a hash of their id and the seed (so the same
   * customers whatever the order or partitioning of the input), in one partition sorted by
   * customer.
   */
  static Dataset<Row> sample(Dataset<Row> scaled, long customers, ClusterSettings s) {
    long below =
        Math.min(BUCKETS, (long) Math.ceil((double) s.silhouetteSample() / customers * BUCKETS));
    return scaled
        .where(pmod(xxhash64(col(CUSTOMER_ID), lit(s.seed())), lit(BUCKETS)).lt(below))
        .select(col(CUSTOMER_ID), col(SCALED))
        .coalesce(1)
        .sortWithinPartitions(col(CUSTOMER_ID));
  }

  /**
   * Every k of the range (just k when it is fixed), in order of k. The sample is bounded
   * (silhouette-sample), so its points are fitted on the driver by MLlib's own local k-means (the
   * k-means++ seeding and Lloyd iterations that MLlib's k-means|| initialisation runs there), with
   * no Spark job per iteration; each k's best fit is then scored by MLlib's silhouette on the
   * sample.
   */
  static List<Candidate> candidates(Dataset<Row> sample, ClusterSettings s) {
    int from = s.fixedK().orElse(s.kMin());
    int to = s.fixedK().orElse(s.kMax());
    VectorWithNorm[] points = points(sample);
    double[] weights = new double[points.length];
    Arrays.fill(weights, 1.0);
    // The fits use the driver's cores; each k's silhouette (Spark jobs, bound by scheduling) starts
    // in its own pool as soon as that k's fits are done, beside the fits of the next k.
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    ExecutorService scoring = Executors.newFixedThreadPool(THREADS);
    try {
      int[] seeds = seeds(s);
      List<List<Future<Candidate>>> fits = new ArrayList<>();
      for (int k = from; k <= to; k++) {
        List<Future<Candidate>> starts = new ArrayList<>();
        for (int start = 0; start < s.starts(); start++) {
          int clusters = k;
          int seed = seeds[start];
          starts.add(pool.submit(() -> fit(points, weights, clusters, seed, s.maxIterations())));
        }
        fits.add(starts);
      }
      List<Future<Candidate>> scored = new ArrayList<>();
      for (List<Future<Candidate>> starts : fits) {
        Candidate best = lowestCost(starts);
        scored.add(
            scoring.submit(
                () ->
                    new Candidate(
                        best.k(),
                        silhouette(assigned(sample.sparkSession(), points, best.centroids())),
                        best.withinSumOfSquares(),
                        best.centroids())));
      }
      List<Candidate> out = new ArrayList<>();
      for (Future<Candidate> c : scored) {
        out.add(c.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("clusters: the k search was interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      scoring.shutdownNow();
    }
  }

  /**
   * The starts' seeds, drawn from the configured seed. Consecutive seeds (seed, seed + 1, ...)
   * would not do: java.util.Random's first draws from nearby seeds are nearly equal, so k-means++
   * would pick nearly the same first centroid at every start.
   */
  static int[] seeds(ClusterSettings s) {
    Random r = new Random(s.seed());
    int[] seeds = new int[s.starts()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = r.nextInt();
    }
    return seeds;
  }

  /**
   * One local k-means++ fit: its distinct centroids (k-means++ repeats a point when the sample has
   * fewer distinct points than k) and their cost, the silhouette not yet measured. LocalKMeans and
   * VectorWithNorm are MLlib's own (package-private in Scala, public to Java), checked against
   * Spark 4.1.0, the version the pom pins.
   */
  private static Candidate fit(
      VectorWithNorm[] points, double[] weights, int k, int seed, int maxIterations) {
    List<double[]> centroids = new ArrayList<>();
    for (VectorWithNorm c : LocalKMeans.kMeansPlusPlus(seed, points, weights, k, maxIterations)) {
      double[] centroid = c.vector().toArray();
      if (centroids.stream().noneMatch(other -> Arrays.equals(other, centroid))) {
        centroids.add(centroid);
      }
    }
    double[][] distinct = centroids.toArray(double[][]::new);
    return new Candidate(
        distinct.length, Double.NaN, withinSumOfSquares(points, distinct), distinct);
  }

  /** The start with the lowest within-cluster sum of squares (the first on a tie). */
  private static Candidate lowestCost(List<Future<Candidate>> starts)
      throws InterruptedException, ExecutionException {
    Candidate best = null;
    for (Future<Candidate> f : starts) {
      Candidate fit = f.get();
      if (best == null || fit.withinSumOfSquares() < best.withinSumOfSquares()) {
        best = fit;
      }
    }
    return best;
  }

  /** The sample's scaled points, in its order (by customer), on the driver. */
  private static VectorWithNorm[] points(Dataset<Row> sample) {
    return sample.select(col(SCALED)).collectAsList().stream()
        .map(r -> new VectorWithNorm(Vectors.fromML(r.getAs(0))))
        .toArray(VectorWithNorm[]::new);
  }

  /** The sum over the points of the squared distance to the nearest centroid. */
  static double withinSumOfSquares(VectorWithNorm[] points, double[][] centroids) {
    Vector[] centres = Arrays.stream(centroids).map(Vectors::dense).toArray(Vector[]::new);
    double sum = 0;
    for (VectorWithNorm p : points) {
      double lowest = Double.POSITIVE_INFINITY;
      for (Vector c : centres) {
        lowest = Math.min(lowest, Vectors.sqdist(p.vector(), c));
      }
      sum += lowest;
    }
    return sum;
  }

  /** The index of the centroid nearest to a point (the first on a tie). */
  private static int nearest(VectorWithNorm p, Vector[] centres) {
    int best = 0;
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < centres.length; i++) {
      double d = Vectors.sqdist(p.vector(), centres[i]);
      if (d < lowest) {
        best = i;
        lowest = d;
      }
    }
    return best;
  }

  /**
   * The sample's points with their nearest centroid in INDEX, as a small local table: the same
   * query for every k, so each silhouette is a few small jobs and no code generated for the
   * centroids.
   */
  static Dataset<Row> assigned(SparkSession spark, VectorWithNorm[] points, double[][] centroids) {
    Vector[] centres = Arrays.stream(centroids).map(Vectors::dense).toArray(Vector[]::new);
    List<Row> rows = new ArrayList<>(points.length);
    for (VectorWithNorm p : points) {
      rows.add(RowFactory.create(p.vector().asML(), nearest(p, centres)));
    }
    return spark.createDataFrame(rows, ASSIGNED);
  }

  private static final StructType ASSIGNED =
      new StructType().add(SCALED, new VectorUDT(), false).add(INDEX, DataTypes.IntegerType, false);

  /** The candidate with the highest silhouette (the smaller k on a tie). */
  static Candidate best(List<Candidate> candidates) {
    return candidates.stream()
        .max(
            Comparator.comparingDouble(Candidate::silhouette)
                .thenComparing(Comparator.comparingInt(Candidate::k).reversed()))
        .orElseThrow();
  }

  /** The mean silhouette (squared Euclidean) of the clusters in INDEX of scaled points. */
  static double silhouette(Dataset<Row> assigned) {
    return new ClusteringEvaluator()
        .setFeaturesCol(SCALED)
        .setPredictionCol(INDEX)
        .evaluate(assigned);
  }
}
