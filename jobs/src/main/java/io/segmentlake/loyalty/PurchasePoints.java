package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.DayGaps;
import io.segmentlake.Schemas;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.LoyaltySettings.Band;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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
  private static final String FIRST_DAY = "_first_day";
  private static final String LAST_DAY = "_last_day";

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
   * factors are projected first; each customer's lines are then summed by {@link #totals} (no
   * shuffle: the lines are partitioned and sorted by customer).
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
            unix_date(day).as(DAY),
            col(QUANTITY).gt(0).as(PURCHASE),
            inWindow.as(IN_WINDOW),
            when(inWindow, col(QUANTITY).cast("double").multiply(col(UNIT_PRICE))).as(AMOUNT),
            (products.isPresent() ? productWeight(s) : lit(1.0)).as(W_PRODUCT),
            band(abs(col(QUANTITY)), s.quantityBands()).as(W_BAND),
            recency(datediff(lit(Date.valueOf(asOf)), day), s).as(W_RECENCY));
    Dataset<Row> perCustomer =
        factors
            .groupBy(col(CUSTOMER_ID))
            .as(Encoders.STRING(), Encoders.row(factors.schema()))
            .mapGroups((MapGroupsFunction<String, Row, Row>) PurchasePoints::totals, TOTALS)
            .select(
                col(CUSTOMER_ID),
                date_from_unix_date(col(FIRST_DAY)).as(FIRST_PURCHASE_DATE),
                date_from_unix_date(col(LAST_DAY)).as(LAST_PURCHASE_DATE),
                col(S0),
                col(S1),
                col(S2),
                col(S3),
                col(PURCHASE_DAYS),
                col(MEDIAN_INTERVAL_DAYS),
                col(INTERVAL_CV));
    return families(perCustomer, s);
  }

  /** The per-customer totals of {@link #totals}. */
  private static final Encoder<Row> TOTALS =
      Encoders.row(
          new StructType()
              .add(CUSTOMER_ID, DataTypes.StringType)
              .add(FIRST_DAY, DataTypes.IntegerType)
              .add(LAST_DAY, DataTypes.IntegerType)
              .add(S0, DataTypes.DoubleType, false)
              .add(S1, DataTypes.DoubleType, false)
              .add(S2, DataTypes.DoubleType, false)
              .add(S3, DataTypes.DoubleType, false)
              .add(PURCHASE_DAYS, DataTypes.IntegerType, false)
              .add(MEDIAN_INTERVAL_DAYS, DataTypes.DoubleType)
              .add(INTERVAL_CV, DataTypes.DoubleType));

  /**
   * One customer's totals from its line factors (columns as projected in {@link #compute}; the
   * factors are never null): the first and last purchase day (any time up to the as-of date), the
   * spend in the window (S0) and its weighted (S1), banded (S2) and recency-weighted (S3) sums, and
   * the distinct purchase days in the window with the median and coefficient of variation of the
   * gaps between them (null for fewer than two days). The mean gap is (last window day - first
   * window day) / gaps.
   */
  private static Row totals(String customer, Iterator<Row> lines) {
    Integer first = null;
    Integer last = null;
    double spend = 0;
    double weighted = 0;
    double banded = 0;
    double recent = 0;
    Set<Integer> windowDays = new HashSet<>();
    while (lines.hasNext()) {
      Row line = lines.next();
      if (!line.isNullAt(1) && !line.isNullAt(2) && line.getBoolean(2)) {
        int day = line.getInt(1);
        first = first == null ? day : Math.min(first, day);
        last = last == null ? day : Math.max(last, day);
        if (!line.isNullAt(3) && line.getBoolean(3)) {
          windowDays.add(day);
        }
      }
      if (!line.isNullAt(4)) {
        double w = line.getDouble(4) * line.getDouble(5);
        double b = w * line.getDouble(6);
        spend += line.getDouble(4);
        weighted += w;
        banded += b;
        recent += b * line.getDouble(7);
      }
    }
    int[] days = DayGaps.sorted(windowDays);
    int[] gaps = DayGaps.gaps(days);
    Double cv = null;
    if (gaps.length > 0) {
      int n = gaps.length;
      double mean = (double) (days[days.length - 1] - days[0]) / n;
      double squares = 0;
      for (int gap : gaps) {
        squares += (gap - mean) * (gap - mean);
      }
      cv = Math.sqrt(squares / n) / mean;
    }
    return RowFactory.create(
        customer,
        first,
        last,
        spend,
        weighted,
        banded,
        recent,
        days.length,
        DayGaps.median(gaps),
        cv);
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
