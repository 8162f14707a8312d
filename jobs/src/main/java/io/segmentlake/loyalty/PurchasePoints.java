package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LinePass.S0;
import static io.segmentlake.loyalty.LinePass.S1;
import static io.segmentlake.loyalty.LinePass.S2;
import static io.segmentlake.loyalty.LinePass.S3;
import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.LoyaltySettings.Band;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Points from purchases, per customer. Stepped points on the net spend in the window are the base;
 * each line carries its share of the base, and three line factors (product weights, quantity band,
 * recency window) are applied in that order, each family's column holding what its factor added:
 * the families add up to base x (weighted net spend / net spend). A regular-purchase bonus follows.
 */
final class PurchasePoints {
  private PurchasePoints() {}

  /**
   * One row per customer with a used line up to the as-of date, from the totals rows of the {@link
   * LinePass}: first and last purchase date, net spend, purchase days and interval statistics in
   * the window, and the purchase families. In the pass, each line in the window adds its amount to
   * the spend (S0), times its product weight to the weighted spend (S1), times its quantity band to
   * the banded spend (S2) and times its recency multiplier to the recent spend (S3).
   */
  static Dataset<Row> compute(Dataset<Row> pass, LoyaltySettings s) {
    Dataset<Row> perCustomer =
        LinePass.ofKind(pass, LinePass.TOTALS)
            .select(
                col(CUSTOMER_ID),
                date_from_unix_date(col(LinePass.FIRST_DAY)).as(FIRST_PURCHASE_DATE),
                date_from_unix_date(col(LinePass.LAST_DAY)).as(LAST_PURCHASE_DATE),
                col(S0),
                col(S1),
                col(S2),
                col(S3),
                col(PURCHASE_DAYS),
                col(MEDIAN_INTERVAL_DAYS),
                col(INTERVAL_CV));
    return families(perCustomer, s);
  }

  /** Stepped points of a spend: per step, its points per `per` for the part of the spend in it. */
  static Column steps(Column spend, List<Band> steps, double per) {
    Column points = lit(0.0);
    for (int i = 0; i < steps.size(); i++) {
      Column top = i + 1 < steps.size() ? least(spend, lit(steps.get(i + 1).from())) : spend;
      Column part = greatest(lit(0.0), top.minus(lit(steps.get(i).from())));
      points = points.plus(part.multiply(steps.get(i).value() / per));
    }
    return points;
  }

  /** The value configured for the key (string keys compared in lower case), else `otherwise`. */
  static <K> Column lookup(Column key, Map<K, Double> weights, Column otherwise) {
    Column weight = otherwise;
    for (Map.Entry<K, Double> e : weights.entrySet()) {
      Object k =
          e.getKey() instanceof String str ? str.toLowerCase(java.util.Locale.ROOT) : e.getKey();
      weight = when(key.equalTo(lit(k)), lit(e.getValue())).otherwise(weight);
    }
    return weight;
  }

  private static Dataset<Row> families(Dataset<Row> c, LoyaltySettings s) {
    Column earns = col(S0).gt(0).and(col(S3).gt(0));
    Column base = when(earns, steps(col(S0), s.spendSteps(), s.spendPer())).otherwise(lit(0.0));
    Column perSpend = when(earns, base.divide(col(S0))).otherwise(lit(0.0));
    LoyaltySettings.Periodicity p = s.periodicity();
    // Like every purchase family, the bonus needs a positive (weighted) net spend.
    Column regular =
        earns
            .and(col(PURCHASE_DAYS).geq(p.minPurchaseDays()))
            .and(col(MEDIAN_INTERVAL_DAYS).leq(p.maxMedianIntervalDays()))
            .and(col(INTERVAL_CV).leq(p.maxIntervalCv()));
    return c.withColumn(NET_SPEND, col(S0))
        .withColumn(PURCHASE_POINTS, base)
        .withColumn(WEIGHTING_POINTS, perSpend.multiply(col(S1).minus(col(S0))))
        .withColumn(QUANTITY_POINTS, perSpend.multiply(col(S2).minus(col(S1))))
        .withColumn(RECENCY_POINTS, perSpend.multiply(col(S3).minus(col(S2))))
        .withColumn(PERIODICITY_POINTS, when(regular, lit(p.bonus())).otherwise(lit(0.0)))
        .drop(S0, S1, S2, S3);
  }
}
