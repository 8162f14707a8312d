package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.MEAN_REPEAT_SPEND;
import static io.segmentlake.predict.PredictColumns.T_CAL_DAYS;
import static io.segmentlake.predict.PredictColumns.T_X_DAYS;
import static io.segmentlake.predict.PredictColumns.X;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JobFailure;
import io.segmentlake.config.PredictSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the models on the compressed statistics of the summaries: Spark groups the customers by
 * their distinct statistics and only those groups, with their counts, reach the optimiser.
 */
final class Models {
  private Models() {}

  /**
   * The Gamma-Gamma fit, the customers with repeat purchases it left out (mean spend ≤ 0), and the
   * correlation of frequency and mean spend over the customers it fitted (null when undefined).
   */
  record Spend(Optional<Fit> fit, long excluded, Double correlation) {}

  /** Mean spend is grouped on a logarithmic grid of this relative width (0.01 %). */
  static final double SPEND_RESOLUTION = 1e-4;

  /**
   * BG/NBD on the distinct (x, t_x, T) of the summaries; {@code scope} names the purchases used,
   * for the message when there are too few customers.
   */
  static Fit bgnbd(Dataset<Row> summaries, PredictSettings s, String scope) {
    return bgnbd(
        summaries.groupBy(col(X), col(T_X_DAYS), col(T_CAL_DAYS)).count().collectAsList(),
        s,
        scope);
  }

  /**
   * BG/NBD on groups (x, t_x days, T days, customers), in any order: they are summed in key order,
   * so that the fit does not depend on the order Spark returns them in (on a cluster, the order in
   * which shuffle blocks arrive), and a re-run gives the same parameters to the bit.
   */
  static Fit bgnbd(List<Row> unordered, PredictSettings s, String scope) {
    List<Row> groups = new ArrayList<>(unordered);
    groups.sort(
        Comparator.comparingInt((Row g) -> g.getInt(0))
            .thenComparingInt(g -> g.getInt(1))
            .thenComparingInt(g -> g.getInt(2)));
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
          "predict: "
              + customers
              + " customers with a purchase "
              + scope
              + "; the models need at least 2");
    }
    return new BgNbd(x, tx, t, count).fit(s.maxIterations(), s.gradientTolerance());
  }

  /**
   * Gamma-Gamma on the customers with repeat purchases and a positive mean spend (the model's
   * support), grouped by x and their mean spend on a grid of relative width SPEND_RESOLUTION (so
   * that the groups are bounded by the range of spend, not by the base); empty when fewer than two
   * customers qualify.
   */
  static Spend gammaGamma(Dataset<Row> summaries, PredictSettings s) {
    Column positive = col(MEAN_REPEAT_SPEND).gt(0);
    Column grid =
        when(
                positive,
                exp(
                    round(log(col(MEAN_REPEAT_SPEND)).divide(SPEND_RESOLUTION))
                        .multiply(SPEND_RESOLUTION)))
            .otherwise(col(MEAN_REPEAT_SPEND));
    // In key order, as for BG/NBD: the fit must not depend on the order of the groups.
    List<Row> groups =
        new ArrayList<>(
            summaries.where(col(X).gt(0)).groupBy(col(X), grid).count().collectAsList());
    groups.sort(
        Comparator.comparingInt((Row g) -> g.getInt(0)).thenComparingDouble(g -> g.getDouble(1)));
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
    Row correlation =
        summaries
            .where(col(X).gt(0).and(positive))
            .agg(corr(col(X), col(MEAN_REPEAT_SPEND)))
            .first();
    return new Spend(
        customers < 2
            ? Optional.empty()
            : Optional.of(
                new GammaGamma(
                        Arrays.copyOf(x, kept), Arrays.copyOf(m, kept), Arrays.copyOf(count, kept))
                    .fit(s.maxIterations(), s.gradientTolerance())),
        excluded,
        correlation.isNullAt(0) || Double.isNaN(correlation.getDouble(0))
            ? null
            : correlation.getDouble(0));
  }
}
