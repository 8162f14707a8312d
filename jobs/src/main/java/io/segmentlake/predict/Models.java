package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.MEAN_REPEAT_SPEND;
import static io.segmentlake.predict.PredictColumns.T_CAL_DAYS;
import static io.segmentlake.predict.PredictColumns.T_X_DAYS;
import static io.segmentlake.predict.PredictColumns.X;
import static org.apache.spark.sql.functions.col;

import io.segmentlake.JobFailure;
import io.segmentlake.config.PredictSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the models on the compressed statistics of the summaries: Spark groups the customers by
 * their distinct statistics and only those groups, with their counts, reach the optimiser.
 */
final class Models {
  private Models() {}

  /** The Gamma-Gamma fit, and the customers with repeat purchases it left out (mean spend ≤ 0). */
  record Spend(Optional<Fit> fit, long excluded) {}

  /** BG/NBD on the distinct (x, t_x, T) of the summaries. */
  static Fit bgnbd(Dataset<Row> summaries, PredictSettings s) {
    List<Row> groups =
        summaries.groupBy(col(X), col(T_X_DAYS), col(T_CAL_DAYS)).count().collectAsList();
    int n = groups.size();
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] count = new double[n];
    double unit = s.timeUnit().days();
    long customers = 0;
    for (int i = 0; i < n; i++) {
      Row g = groups.get(i);
      x[i] = g.getInt(0);
      tx[i] = g.getInt(1) / unit;
      t[i] = g.getInt(2) / unit;
      count[i] = g.getLong(3);
      customers += g.getLong(3);
    }
    if (customers < 2) {
      throw JobFailure.inputRejected(
          "predict: " + customers + " customers with a purchase; the models need at least 2");
    }
    return new BgNbd(x, tx, t, count).fit(s.maxIterations(), s.gradientTolerance());
  }

  /**
   * Gamma-Gamma on the distinct (x, mean repeat spend) of the customers with repeat purchases and a
   * positive mean spend (the model's support); empty when fewer than two customers qualify.
   */
  static Spend gammaGamma(Dataset<Row> summaries, PredictSettings s) {
    List<Row> groups =
        summaries
            .where(col(X).gt(0))
            .groupBy(col(X), col(MEAN_REPEAT_SPEND))
            .count()
            .collectAsList();
    int n = groups.size();
    int[] x = new int[n];
    double[] m = new double[n];
    double[] count = new double[n];
    long customers = 0;
    long excluded = 0;
    int kept = 0;
    for (Row g : groups) {
      if (g.getDouble(1) > 0) {
        x[kept] = g.getInt(0);
        m[kept] = g.getDouble(1);
        count[kept++] = g.getLong(2);
        customers += g.getLong(2);
      } else {
        excluded += g.getLong(2);
      }
    }
    return new Spend(
        customers < 2
            ? Optional.empty()
            : Optional.of(
                new GammaGamma(
                        Arrays.copyOf(x, kept), Arrays.copyOf(m, kept), Arrays.copyOf(count, kept))
                    .fit(s.maxIterations(), s.gradientTolerance())),
        excluded);
  }
}
