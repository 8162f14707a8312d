package io.segmentlake.loyalty;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.LoyaltySettings.Band;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Points from purchases, per customer. Stepped points on the net spend in the window are the base;
 * each line carries its share of the base, and three line factors (product weights, quantity band,
 * recency window) are applied in that order, each family's column holding what its factor added:
 * the families add up to base x (weighted net spend / net spend). A regular-purchase bonus follows.
 */
final class PurchasePoints implements Serializable {
  private final List<Band> steps;
  private final double per;
  private final LoyaltySettings.Periodicity periodicity;

  PurchasePoints(LoyaltySettings s) {
    this.steps = List.copyOf(s.spendSteps());
    this.per = s.spendPer();
    this.periodicity = s.periodicity();
  }

  /**
   * A customer's purchase families (see the class comment) and the net spend, from the sums of the
   * lines in the window ({@link LinePass}): each line adds its amount to the spend, times its
   * product weight to the weighted spend, times its quantity band to the banded spend and times its
   * recency multiplier to the recent spend; and the customer's purchase days and interval
   * statistics.
   */
  record Families(
      double netSpend,
      double purchase,
      double weighting,
      double quantity,
      double recency,
      double periodicity) {

    /** The points of the purchase families together. */
    double subtotal() {
      return purchase + weighting + quantity + recency + periodicity;
    }
  }

  Families of(
      double spend,
      double weighted,
      double banded,
      double recent,
      int purchaseDays,
      Double medianIntervalDays,
      Double intervalCv) {
    if (!(spend > 0 && recent > 0)) {
      return new Families(spend, 0, 0, 0, 0, 0);
    }
    double base = steps(spend);
    double perSpend = base / spend;
    LoyaltySettings.Periodicity p = periodicity;
    // Like every purchase family, the bonus needs a positive (weighted) net spend.
    boolean regular =
        purchaseDays >= p.minPurchaseDays()
            && medianIntervalDays != null
            && medianIntervalDays <= p.maxMedianIntervalDays()
            && intervalCv != null
            && intervalCv <= p.maxIntervalCv();
    return new Families(
        spend,
        base,
        perSpend * (weighted - spend),
        perSpend * (banded - weighted),
        perSpend * (recent - banded),
        regular ? p.bonus() : 0);
  }

  /** Stepped points of a spend: per step, its points per `per` for the part of the spend in it. */
  private double steps(double spend) {
    double points = 0;
    for (int i = 0; i < steps.size(); i++) {
      double top = i + 1 < steps.size() ? Math.min(spend, steps.get(i + 1).from()) : spend;
      points += Math.max(0, top - steps.get(i).from()) * (steps.get(i).value() / per);
    }
    return points;
  }

  /** The value configured for the key (string keys compared in lower case), else `otherwise`. */
  static <K> Column lookup(Column key, Map<K, Double> weights, Column otherwise) {
    Column weight = otherwise;
    for (Map.Entry<K, Double> e : weights.entrySet()) {
      Object k = e.getKey() instanceof String str ? str.toLowerCase(Locale.ROOT) : e.getKey();
      weight = when(key.equalTo(lit(k)), lit(e.getValue())).otherwise(weight);
    }
    return weight;
  }
}
