package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.CHURN_RISK;
import static io.segmentlake.predict.PredictColumns.CUSTOMER_ID;
import static io.segmentlake.predict.PredictColumns.EXPECTED_AVG_SPEND;
import static io.segmentlake.predict.PredictColumns.FIRST_PURCHASE_DATE;
import static io.segmentlake.predict.PredictColumns.LAST_PURCHASE_DATE;
import static io.segmentlake.predict.PredictColumns.MEAN_REPEAT_SPEND;
import static io.segmentlake.predict.PredictColumns.P_ALIVE;
import static io.segmentlake.predict.PredictColumns.TIME_UNIT;
import static io.segmentlake.predict.PredictColumns.T_CAL;
import static io.segmentlake.predict.PredictColumns.T_CAL_DAYS;
import static io.segmentlake.predict.PredictColumns.T_X;
import static io.segmentlake.predict.PredictColumns.T_X_DAYS;
import static io.segmentlake.predict.PredictColumns.X;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JoinKeys;
import io.segmentlake.Money;
import io.segmentlake.Schemas;
import io.segmentlake.config.PredictSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scores customers with the fitted models, in Spark column expressions (the hypergeometric series a
 * Java function in one of them).
 */
final class Scoring {
  /** Relative size of the first neglected term of the hypergeometric series. */
  private static final double SERIES_EPSILON = 1e-10;

  /** Most terms of the series (reached only when z is very close to 1). */
  private static final int MAX_TERMS = 20_000;

  /** Working columns: E[Y(t) | alive] per distinct age, the same at a horizon, the CLV factor. */
  private static final String E = "_e_";

  private static final String ALIVE = "_alive_";
  private static final String CLV_FACTOR = "_clv_";

  /** E[Y(t) | x, t_x, T] of the holdout comparison. */
  static final String PREDICTED = "_predicted";

  private Scoring() {}

  /**
   * customer_predictions from the summaries: P(alive), expected purchases, P(no purchase), expected
   * spend and CLV. The hypergeometric series depends on x and T only, so it is summed once per
   * distinct (x, T) and joined back.
   */
  static Dataset<Row> score(Dataset<Row> summaries, Fit bg, Optional<Fit> gg, PredictSettings s) {
    int unitDays = s.timeUnit().days();
    List<Integer> steps = stepEnds(s);
    Dataset<Row> ages = expectationsByAge(summaries, bg, steps, unitDays);
    List<Column> perAge = new ArrayList<>(List.of(col(X), col(T_CAL_DAYS)));
    for (int h : s.horizonsDays()) {
      Column clvFactor = lit(0.0);
      int previous = 0;
      for (int t : steps.stream().filter(t -> t <= h).toList()) {
        Column increment = previous == 0 ? col(E + t) : col(E + t).minus(col(E + previous));
        clvFactor = clvFactor.plus(increment.multiply(discount(s.discountRateAnnual(), t)));
        previous = t;
      }
      perAge.add(col(E + h).as(ALIVE + h));
      perAge.add(clvFactor.as(CLV_FACTOR + h));
    }
    Dataset<Row> joined =
        summaries
            .withColumn(T_X, col(T_X_DAYS).divide(unitDays))
            .withColumn(T_CAL, col(T_CAL_DAYS).divide(unitDays))
            .join(
                broadcast(ages.select(perAge.toArray(Column[]::new))), JoinKeys.of(X, T_CAL_DAYS));
    return finish(joined, bg, gg, s);
  }

  /** The summaries with PREDICTED = E[Y(days) | x, t_x, T], for the holdout comparison. */
  static Dataset<Row> expectedPurchases(
      Dataset<Row> summaries, Fit bg, int days, PredictSettings s) {
    double unit = s.timeUnit().days();
    return summaries
        .join(
            broadcast(expectationsByAge(summaries, bg, List.of(days), s.timeUnit().days())),
            JoinKeys.of(X, T_CAL_DAYS))
        .withColumn(
            PREDICTED,
            pAlive(
                    bg,
                    col(X).cast("double"),
                    col(T_X_DAYS).divide(unit),
                    col(T_CAL_DAYS).divide(unit))
                .multiply(col(E + days)));
  }

  /**
   * Per distinct (x, T) of the summaries, E[Y(t) | alive] for each t in {@code days}, in columns E
   * + t: the hypergeometric series is summed once per distinct (x, T), not per customer.
   */
  private static Dataset<Row> expectationsByAge(
      Dataset<Row> summaries, Fit bg, List<Integer> days, int unitDays) {
    Schemas.require(summaries, "summaries", CUSTOMER_ID, X, T_X_DAYS, T_CAL_DAYS);
    // The series is the costly part and the distinct ages are few: spread them over every core
    // (adaptive execution would otherwise coalesce so small a shuffle into one task).
    int cores = summaries.sparkSession().sparkContext().defaultParallelism();
    Dataset<Row> ages =
        summaries.select(col(X), col(T_CAL_DAYS)).distinct().repartition(Math.max(2, 4 * cores));
    Column x = col(X).cast("double");
    Column age = col(T_CAL_DAYS).divide(unitDays);
    for (int t : days) {
      ages = ages.withColumn(E + t, expectedIfAlive(bg, x, age, t / (double) unitDays));
    }
    return ages;
  }

  private static Dataset<Row> finish(
      Dataset<Row> joined, Fit bg, Optional<Fit> gg, PredictSettings s) {
    Column pAlive = pAlive(bg, col(X).cast("double"), col(T_X), col(T_CAL));
    Column spend = gg.map(fit -> expectedSpend(fit, col(X), col(MEAN_REPEAT_SPEND))).orElse(null);
    List<Column> out = new ArrayList<>();
    out.add(col(CUSTOMER_ID));
    out.add(col(X));
    out.add(col(T_X));
    out.add(col(T_CAL));
    out.add(lit(s.timeUnit().name().toLowerCase(Locale.ROOT)).as(TIME_UNIT));
    out.add(col(FIRST_PURCHASE_DATE));
    out.add(col(LAST_PURCHASE_DATE));
    out.add(Money.ofDouble(col(MEAN_REPEAT_SPEND)).as(MEAN_REPEAT_SPEND));
    out.add(col(P_ALIVE));
    for (int h : s.horizonsDays()) {
      out.add(col(P_ALIVE).multiply(col(ALIVE + h)).as(PredictColumns.expectedPurchases(h)));
    }
    String noPurchaseName = PredictColumns.noPurchase(s.noPurchaseDays());
    out.add(col(noPurchaseName));
    out.add(
        Money.ofDouble(spend == null ? lit(null).cast("double") : spend).as(EXPECTED_AVG_SPEND));
    for (int h : s.horizonsDays()) {
      Column clv =
          spend == null
              ? lit(null).cast("double")
              : col(P_ALIVE).multiply(spend).multiply(col(CLV_FACTOR + h));
      out.add(Money.ofDouble(clv).as(PredictColumns.clv(h)));
    }
    Column noPurchase = col(noPurchaseName);
    out.add(
        when(noPurchase.geq(s.highRiskFrom()), lit("high"))
            .when(noPurchase.geq(s.mediumRiskFrom()), lit("medium"))
            .otherwise(lit("low"))
            .as(CHURN_RISK));
    double w = s.noPurchaseDays() / (double) s.timeUnit().days();
    return joined
        .withColumn(P_ALIVE, pAlive)
        .withColumn(noPurchaseName, noPurchase(bg, col(X).cast("double"), col(T_CAL), w))
        .select(out.toArray(Column[]::new));
  }

  /**
   * P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a / (b+x−1) · ((α+T)/(α+t_x))^(r+x)), in logarithms so
   * that a large x cannot overflow.
   */
  static Column pAlive(Fit bg, Column x, Column tx, Column t) {
    double r = bg.value("r");
    double alpha = bg.value("alpha");
    double a = bg.value("a");
    double b = bg.value("b");
    Column logOdds =
        lit(Math.log(a))
            .minus(log(x.plus(b - 1)))
            .plus(x.plus(r).multiply(log(t.plus(alpha)).minus(log(tx.plus(alpha)))));
    return when(x.equalTo(0), lit(1.0)).otherwise(lit(1.0).divide(exp(logOdds).plus(1)));
  }

  /**
   * E[Y(t) | alive, x, T] = (a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z)], z
   * = t/(α+T+t): FHL's ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z) after Euler's
   * transformation, whose series converges fast for large x and does not overflow.
   */
  static Column expectedIfAlive(Fit bg, Column x, Column t, double horizon) {
    double r = bg.value("r");
    double alpha = bg.value("alpha");
    // The formula has a − 1 in a denominator; its limit at a = 1 is continuous, so an a within
    // 1e-6 of 1 is evaluated 1e-6 away (relative error ~1e-10).
    double a =
        Math.abs(bg.value("a") - 1) < 1e-6
            ? 1 + Math.copySign(1e-6, bg.value("a") - 1)
            : bg.value("a");
    double b = bg.value("b");
    Column z = lit(horizon).divide(t.plus(alpha + horizon));
    Column c = x.plus(a + b - 1);
    Column f = hypergeometric(a + b - 1 - r, a - 1, c, z);
    return c.divide(a - 1).multiply(lit(1.0).minus(pow(lit(1.0).minus(z), a - 1).multiply(f)));
  }

  /**
   * ₂F₁(A, B; C; z) for 0 < z < 1, per row: {@link #hypergeometric(double, double, double, double)}
   * as a Spark function (a plain loop runs many times faster than the same sum as a SQL lambda,
   * which Spark interprets term by term).
   */
  static Column hypergeometric(double aa, double bb, Column c, Column z) {
    return udf(
            (UDF2<Double, Double, Double>) (cc, zz) -> hypergeometric(aa, bb, cc, zz),
            DataTypes.DoubleType)
        .apply(c, z);
  }

  /**
   * ₂F₁(A, B; C; z) for 0 < z < 1 and C > 0 (as the scoring's z and C always are) by its series,
   * summed in Horner form from the last term: 1 + q₁(1 + q₂(1 + …)), q_k = (A+k−1)(B+k−1) z /
   * ((C+k−1) k). The terms behave like k^m z^k with m = A + B − C − 1, so the number of terms K is
   * chosen with z^K K^max(m, 0) below SERIES_EPSILON (one refinement of K₀ = ln ε / ln z). The logs
   * are StrictMath's, as Spark's log is, so the terms are those of the column version it replaced.
   */
  static double hypergeometric(double aa, double bb, double c, double z) {
    double lnEpsilon = Math.log(SERIES_EPSILON);
    double k0 = lnEpsilon / StrictMath.log(z);
    double m = Math.max(0.0, (aa + bb - 1) - c);
    int terms =
        (int)
            Math.min(
                MAX_TERMS,
                Math.ceil((lnEpsilon - m * StrictMath.log(k0 + 1)) / StrictMath.log(z)) + 10);
    double acc = 1.0;
    for (int k = terms; k >= 1; k--) {
      double q = (k + (aa - 1)) * (k + (bb - 1)) * z / ((c + k - 1) * k);
      acc = 1.0 + q * acc;
    }
    return acc;
  }

  /** P(no purchase in w | x, T) = 1 − P(alive) + P(alive) · ((α+T)/(α+T+w))^(r+x). */
  private static Column noPurchase(Fit bg, Column x, Column t, double w) {
    Column alive = col(P_ALIVE);
    double r = bg.value("r");
    double alpha = bg.value("alpha");
    Column stay = exp(x.plus(r).multiply(log(t.plus(alpha)).minus(log(t.plus(alpha + w)))));
    return lit(1.0).minus(alive).plus(alive.multiply(stay));
  }

  /**
   * Gamma-Gamma: E[M | x, m_x] = p (γ + x m_x) / (p x + q − 1), with a mean spend below 0 taken as
   * 0; null where p x + q ≤ 1 (the posterior mean is unbounded).
   */
  static Column expectedSpend(Fit gg, Column x, Column meanSpend) {
    double p = gg.value("p");
    double q = gg.value("q");
    double gamma = gg.value("gamma");
    Column denominator = x.cast("double").multiply(p).plus(q - 1);
    return when(
        denominator.gt(0),
        greatest(meanSpend, lit(0.0)).multiply(x).plus(gamma).multiply(p).divide(denominator));
  }

  /** Step ends in days: every clv-step-days up to the longest horizon, and each horizon. */
  static List<Integer> stepEnds(PredictSettings s) {
    int longest = s.horizonsDays().get(s.horizonsDays().size() - 1);
    TreeSet<Integer> ends = new TreeSet<>(s.horizonsDays());
    for (int t = s.clvStepDays(); t < longest; t += s.clvStepDays()) {
      ends.add(t);
    }
    return List.copyOf(ends);
  }

  private static double discount(double annualRate, int days) {
    return Math.pow(1 + annualRate, -days / 365.0);
  }
}
