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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The search for k on a bounded random sample, so that it costs the same at any base size: each k
 * of the range is fitted from several seeds, the fit with the lowest within-cluster sum of squares
 * kept, and scored by its silhouette on the sample.
 */
final class KSearch {
  private static final long BUCKETS = 1_000_000;

  /** Fits run concurrently: on a small sample each is bound by job scheduling, not by cores. */
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

  /** Every k of the range (just k when it is fixed), in order of k. */
  static List<Candidate> candidates(Dataset<Row> sample, ClusterSettings s) {
    int from = s.fixedK().orElse(s.kMin());
    int to = s.fixedK().orElse(s.kMax());
    JavaRDD<Vector> points = FullFit.points(sample);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      // Cached once here: fits started together would each compute (and try to cache) the points.
      points.count();
      List<List<Future<FullFit.Fit>>> fits = new ArrayList<>();
      for (int k = from; k <= to; k++) {
        List<Future<FullFit.Fit>> starts = new ArrayList<>();
        for (int start = 0; start < s.starts(); start++) {
          int clusters = k;
          long seed = s.seed() + start;
          starts.add(pool.submit(() -> FullFit.fit(points, clusters, seed, s)));
        }
        fits.add(starts);
      }
      List<Future<Candidate>> scored = new ArrayList<>();
      for (List<Future<FullFit.Fit>> starts : fits) {
        FullFit.Fit best = lowestCost(starts);
        scored.add(pool.submit(() -> candidate(best, sample)));
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
      points.unpersist(false);
    }
  }

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

  private static FullFit.Fit lowestCost(List<Future<FullFit.Fit>> starts)
      throws InterruptedException, ExecutionException {
    FullFit.Fit best = null;
    for (Future<FullFit.Fit> f : starts) {
      FullFit.Fit fit = f.get();
      if (best == null || fit.withinSumOfSquares() < best.withinSumOfSquares()) {
        best = fit;
      }
    }
    return best;
  }

  private static Candidate candidate(FullFit.Fit fit, Dataset<Row> sample) {
    return new Candidate(
        fit.centroids().length,
        silhouette(FullFit.assign(sample, fit.centroids())),
        fit.withinSumOfSquares(),
        fit.centroids());
  }
}
