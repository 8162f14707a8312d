package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Schemas;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.LoyaltySettings.Band;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private static final String DAY = "_day";
  private static final String PURCHASE = "_is_purchase";
  private static final String IN_WINDOW = "_in_window";
  private static final String AMOUNT = "_amount";
  private static final String W_PRODUCT = "_product_weight";
  private static final String W_CATEGORY = "_category_weight";
  private static final String W_QUALITY = "_quality_weight";
  private static final String W_BAND = "_band_multiplier";
  private static final String W_RECENCY = "_recency_multiplier";
  private static final String S0 = "_spend";
  private static final String S1 = "_spend_weighted";
  private static final String S2 = "_spend_banded";
  private static final String S3 = "_spend_recent";
  private static final String DAYS = "_purchase_day_list";
  private static final String SORTED = "_sorted_intervals";

  private PurchasePoints() {}

  /**
   * Per product: its weight when its margin is known from margin_rate, else the category and
   * quality weights that a line's margin band (from unit_cost and the line's price) is multiplied
   * by, in that order. Computed once per product, not per line.
   */
  static Dataset<Row> productWeights(Dataset<Row> products, LoyaltySettings s) {
    Schemas.require(products, "products", PRODUCT_ID, CATEGORY, UNIT_COST, MARGIN_RATE);
    Column category = lookup(lower(trim(col(CATEGORY))), s.categoryWeights(), lit(1.0));
    Column quality = lookup(col(QUALITY_LEVEL), s.qualityWeights(), lit(1.0));
    return products.select(
        col(PRODUCT_ID),
        col(UNIT_COST),
        when(
                col(MARGIN_RATE).isNotNull(),
                weight(band(col(MARGIN_RATE), s.marginWeights()), category, quality))
            .as(W_PRODUCT),
        category.as(W_CATEGORY),
        quality.as(W_QUALITY));
  }

  /**
   * One row per customer with a used line up to the as-of date: first and last purchase date, net
   * spend, purchase days and interval statistics in the window, and the purchase families. The line
   * factors are projected first, so that the one aggregate (no shuffle: the lines are partitioned
   * by customer) sums plain columns.
   */
  static Dataset<Row> compute(
      Dataset<Row> lines, Optional<Dataset<Row>> products, LocalDate asOf, LoyaltySettings s) {
    Schemas.require(
        lines, "used invoices", CUSTOMER_ID, INVOICE_TS, PRODUCT_ID, QUANTITY, UNIT_PRICE);
    Dataset<Row> withProducts =
        products
            .map(
                p ->
                    lines
                        .join(
                            broadcast(productWeights(p, s)),
                            lines.col(PRODUCT_ID).equalTo(p.col(PRODUCT_ID)),
                            "left")
                        .drop(p.col(PRODUCT_ID)))
            .orElse(lines);
    Column day = to_date(col(INVOICE_TS));
    Column inWindow = inWindow(day, asOf, s.windowDays());
    Dataset<Row> factors =
        withProducts.select(
            col(CUSTOMER_ID),
            day.as(DAY),
            col(QUANTITY).gt(0).as(PURCHASE),
            inWindow.as(IN_WINDOW),
            when(inWindow, col(QUANTITY).cast("double").multiply(col(UNIT_PRICE))).as(AMOUNT),
            (products.isPresent() ? productWeight(s) : lit(1.0)).as(W_PRODUCT),
            band(abs(col(QUANTITY)), s.quantityBands()).as(W_BAND),
            recency(datediff(lit(Date.valueOf(asOf)), day), s).as(W_RECENCY));
    Column purchase = col(PURCHASE);
    Column weighted = col(AMOUNT).multiply(col(W_PRODUCT));
    Column banded = weighted.multiply(col(W_BAND));
    Dataset<Row> perCustomer =
        factors
            .groupBy(col(CUSTOMER_ID))
            .agg(
                min(when(purchase, col(DAY))).as(FIRST_PURCHASE_DATE),
                max(when(purchase, col(DAY))).as(LAST_PURCHASE_DATE),
                coalesce(sum(col(AMOUNT)), lit(0.0)).as(S0),
                coalesce(sum(weighted), lit(0.0)).as(S1),
                coalesce(sum(banded), lit(0.0)).as(S2),
                coalesce(sum(banded.multiply(col(W_RECENCY))), lit(0.0)).as(S3),
                array_sort(collect_set(when(purchase.and(col(IN_WINDOW)), unix_date(col(DAY)))))
                    .as(DAYS));
    return families(intervals(perCustomer), s);
  }

  /** Whether a date lies in the n days ending on the as-of date. */
  static Column inWindow(Column day, LocalDate asOf, int days) {
    return day.gt(lit(Date.valueOf(asOf.minusDays(days)))).and(day.leq(lit(Date.valueOf(asOf))));
  }

  /**
   * The value of the band with the highest `from` at or below x; 1 below every band or for null.
   */
  static Column band(Column x, List<Band> bands) {
    Column value = lit(1.0);
    for (Band b : bands) {
      value = when(x.geq(lit(b.from())), lit(b.value())).otherwise(value);
    }
    return value;
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

  /**
   * A line's product weight: its product's, or from the line's margin when that needs its price; 1
   * for a product that products does not list.
   */
  private static Column productWeight(LoyaltySettings s) {
    Column lineMargin =
        when(col(UNIT_PRICE).gt(0), lit(1.0).minus(col(UNIT_COST).divide(col(UNIT_PRICE))));
    return when(col(W_CATEGORY).isNull(), lit(1.0))
        .when(col(W_PRODUCT).isNotNull(), col(W_PRODUCT))
        .otherwise(weight(band(lineMargin, s.marginWeights()), col(W_CATEGORY), col(W_QUALITY)));
  }

  /** Margin band x category weight x quality weight. */
  private static Column weight(Column marginBand, Column category, Column quality) {
    return marginBand.multiply(category).multiply(quality);
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

  private static Column recency(Column ageDays, LoyaltySettings s) {
    Column multiplier = lit(1.0);
    List<Band> windows = s.recencyWindows();
    for (int i = windows.size() - 1; i >= 0; i--) {
      Band w = windows.get(i);
      multiplier = when(ageDays.lt(lit(w.from())), lit(w.value())).otherwise(multiplier);
    }
    return multiplier;
  }

  /**
   * Purchase days in the window, and the median and coefficient of variation of their gaps. The
   * days are day numbers (ints): the lambdas below are interpreted, and date arithmetic in them
   * costs. The mean gap is (last - first) / gaps.
   */
  private static Dataset<Row> intervals(Dataset<Row> perCustomer) {
    String gaps =
        String.format(
            "CASE WHEN size(%1$s) >= 2 THEN zip_with(slice(%1$s, 2, size(%1$s) - 1),"
                + " slice(%1$s, 1, size(%1$s) - 1), (a, b) -> a - b) END",
            DAYS);
    String median =
        String.format(
            "CASE WHEN size(%1$s) %% 2 = 1 THEN CAST(%1$s[size(%1$s) div 2] AS DOUBLE)"
                + " WHEN size(%1$s) > 0 THEN (%1$s[size(%1$s) div 2 - 1] + %1$s[size(%1$s) div 2])"
                + " / 2.0 END",
            SORTED);
    String mean =
        String.format(
            "(CAST(element_at(%1$s, -1) - element_at(%1$s, 1) AS DOUBLE) / (size(%1$s) - 1))",
            DAYS);
    String cv =
        String.format(
            "sqrt(aggregate(%1$s, 0D, (acc, x) -> acc + (x - %2$s) * (x - %2$s)) / size(%1$s))"
                + " / %2$s",
            SORTED, mean);
    return perCustomer
        .withColumn(PURCHASE_DAYS, size(col(DAYS)))
        .withColumn(SORTED, array_sort(expr(gaps)))
        .withColumn(MEDIAN_INTERVAL_DAYS, expr(median))
        .withColumn(INTERVAL_CV, when(size(col(DAYS)).geq(2), expr(cv)))
        .drop(DAYS, SORTED);
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
