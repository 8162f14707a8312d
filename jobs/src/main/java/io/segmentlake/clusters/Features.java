package io.segmentlake.clusters;

import static io.segmentlake.clusters.ClusterColumns.AVERAGE_ORDER_VALUE;
import static io.segmentlake.clusters.ClusterColumns.CHANNEL;
import static io.segmentlake.clusters.ClusterColumns.CUSTOMER_ID;
import static io.segmentlake.clusters.ClusterColumns.FREQUENCY;
import static io.segmentlake.clusters.ClusterColumns.INVOICE_ID;
import static io.segmentlake.clusters.ClusterColumns.INVOICE_TS;
import static io.segmentlake.clusters.ClusterColumns.MARGIN;
import static io.segmentlake.clusters.ClusterColumns.MARGIN_RATE;
import static io.segmentlake.clusters.ClusterColumns.MEDIAN_INTERVAL_DAYS;
import static io.segmentlake.clusters.ClusterColumns.MONETARY;
import static io.segmentlake.clusters.ClusterColumns.POINTS;
import static io.segmentlake.clusters.ClusterColumns.PRODUCT_ID;
import static io.segmentlake.clusters.ClusterColumns.PURCHASES_PER_MONTH;
import static io.segmentlake.clusters.ClusterColumns.QUANTITY;
import static io.segmentlake.clusters.ClusterColumns.RECENCY_DAYS;
import static io.segmentlake.clusters.ClusterColumns.SPEND_PER_MONTH;
import static io.segmentlake.clusters.ClusterColumns.TENURE_DAYS;
import static io.segmentlake.clusters.ClusterColumns.UNIT_COST;
import static io.segmentlake.clusters.ClusterColumns.UNIT_PRICE;
import static io.segmentlake.clusters.ClusterColumns.WEB_SHARE;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Codes;
import io.segmentlake.DayGaps;
import io.segmentlake.JoinKeys;
import io.segmentlake.Money;
import io.segmentlake.Schemas;
import io.segmentlake.config.ClusterSettings.Feature;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The behavioural features of every customer with a purchase up to the as-of date, in original
 * units, and the transforms that make them fit for k-means: logs of the skewed measures, the shares
 * as they are.
 */
final class Features {
  /** The month of the rates, in days; a tenure shorter than one month counts as one month. */
  static final int MONTH_DAYS = 30;

  private static final String DAY = "_day";
  private static final String PURCHASE = "_purchase";
  private static final String CENTS = "_cents";
  private static final String MARGIN_CENTS = "_margin_cents";
  private static final String WEB = "_web";
  private static final String WEB_INVOICES = "_web_invoices";
  private static final String FIRST = "_first";
  private static final String LAST = "_last";
  private static final String MEDIAN_GAP = "_median_gap";

  private Features() {}

  /** How a feature is transformed before it is standardised. */
  enum Transform {
    /** log(1 + x), for counts and durations (never negative). */
    LOG1P,
    /** sign(x) log(1 + |x|), for amounts that returns can make negative. */
    SIGNED_LOG1P,
    /** x, for shares. */
    NONE;

    /** The transformed column. */
    Column apply(Column x) {
      return switch (this) {
        case LOG1P -> log1p(x);
        case SIGNED_LOG1P -> signum(x).multiply(log1p(abs(x)));
        case NONE -> x;
      };
    }

    /** The transformed value. */
    double apply(double x) {
      return switch (this) {
        case LOG1P -> Math.log1p(x);
        case SIGNED_LOG1P -> Math.signum(x) * Math.log1p(Math.abs(x));
        case NONE -> x;
      };
    }

    /** The value in original units of a transformed value. */
    double invert(double y) {
      return switch (this) {
        case LOG1P -> Math.expm1(y);
        case SIGNED_LOG1P -> Math.signum(y) * Math.expm1(Math.abs(y));
        case NONE -> y;
      };
    }
  }

  /** The column of a feature in original units. */
  static String column(Feature f) {
    return switch (f) {
      case RECENCY -> RECENCY_DAYS;
      case FREQUENCY -> FREQUENCY;
      case MONETARY -> MONETARY;
      case PURCHASE_RATE -> PURCHASES_PER_MONTH;
      case SPEND_RATE -> SPEND_PER_MONTH;
      case AVERAGE_ORDER_VALUE -> AVERAGE_ORDER_VALUE;
      case MARGIN -> MARGIN;
      case POINTS -> POINTS;
      case MEDIAN_INTERVAL -> MEDIAN_INTERVAL_DAYS;
      case TENURE -> TENURE_DAYS;
      case WEB_SHARE -> WEB_SHARE;
    };
  }

  /** The transform of a feature. */
  static Transform transform(Feature f) {
    return switch (f) {
      case RECENCY, FREQUENCY, PURCHASE_RATE, MEDIAN_INTERVAL, TENURE -> Transform.LOG1P;
      case MONETARY, SPEND_RATE, AVERAGE_ORDER_VALUE, MARGIN, POINTS -> Transform.SIGNED_LOG1P;
      case WEB_SHARE -> Transform.NONE;
    };
  }

  /** Measures every profile describes, clustered on or not: they name the clusters. */
  static final List<Feature> DESCRIPTIVE =
      List.of(Feature.RECENCY, Feature.FREQUENCY, Feature.MONETARY);

  /** The clustering features followed by the descriptive measures that are not among them. */
  static List<Feature> described(List<Feature> features) {
    List<Feature> out = new ArrayList<>(features);
    DESCRIPTIVE.stream().filter(f -> !features.contains(f)).forEach(out::add);
    return List.copyOf(out);
  }

  /** The column holding a feature's transformed value. */
  static String transformed(Feature f) {
    return "_t_" + column(f);
  }

  /**
   * One row per customer with a purchase line up to the as-of date: customer_id and the features
   * asked for, in original units. recency_days and tenure_days count days from the last and first
   * purchase to the as-of date; frequency counts purchase invoices; purchases_per_month and
   * spend_per_month divide frequency and monetary by the tenure in 30-day months (at least one);
   * average_order_value is monetary per purchase invoice; monetary and margin are net amounts
   * (returns subtract; a line whose product has no cost or margin rate adds no margin);
   * median_interval_days is the median gap between distinct purchase days, or for a customer with
   * one purchase day the days since it (the gap is at least that long); web_share is the share of
   * purchase invoices with a web line; points come from loyalty_points (0 when a customer has
   * none). The caller passes products and points exactly when the features need them.
   */
  static Dataset<Row> compute(
      Dataset<Row> usedInvoices,
      Optional<Dataset<Row>> products,
      Optional<Dataset<Row>> points,
      LocalDate asOf,
      List<Feature> features) {
    Schemas.require(
        usedInvoices, "used invoices", CUSTOMER_ID, INVOICE_ID, INVOICE_TS, QUANTITY, UNIT_PRICE);
    if (features.contains(Feature.WEB_SHARE)) {
      Schemas.require(usedInvoices, "used invoices", CHANNEL);
    }
    Dataset<Row> customers =
        measures(perCustomer(withMargin(usedInvoices, products)), asOf)
            .withColumn(
                MEDIAN_INTERVAL_DAYS, coalesce(col(MEDIAN_GAP), col(RECENCY_DAYS).cast("double")));
    if (points.isPresent()) {
      customers =
          customers
              .join(
                  points.get().select(col(CUSTOMER_ID), col(POINTS)),
                  JoinKeys.of(CUSTOMER_ID),
                  "left")
              .withColumn(POINTS, coalesce(col(POINTS).cast("double"), lit(0.0)));
    }
    List<Column> out = new ArrayList<>(List.of(col(CUSTOMER_ID)));
    features.forEach(f -> out.add(col(column(f)).cast("double").as(column(f))));
    return customers.select(out.toArray(Column[]::new));
  }

  /** The transformed feature columns, added to the raw ones. */
  static Dataset<Row> transform(Dataset<Row> raw, List<Feature> features) {
    Dataset<Row> out = raw;
    for (Feature f : features) {
      out = out.withColumn(transformed(f), transform(f).apply(col(column(f))));
    }
    return out;
  }

  /**
   * Per customer with a purchase invoice, from its own lines (grouped by customer, which the lines
   * already are: no shuffle): first and last purchase day, purchase invoices, net cents and margin,
   * web purchase invoices and the median gap between distinct purchase days.
   */
  private static Dataset<Row> perCustomer(Dataset<Row> lines) {
    Column cents = Money.lineCents(col(QUANTITY), col(UNIT_PRICE));
    Dataset<Row> projected =
        lines.select(
            col(CUSTOMER_ID),
            col(INVOICE_ID),
            unix_date(to_date(col(INVOICE_TS))).as(DAY),
            col(QUANTITY).gt(0).as(PURCHASE),
            cents.as(CENTS),
            col(MARGIN_CENTS),
            isWeb(lines).as(WEB));
    return projected
        .groupBy(col(CUSTOMER_ID))
        .as(Encoders.STRING(), Encoders.row(projected.schema()))
        .mapGroups((MapGroupsFunction<String, Row, Row>) Features::totals, TOTALS)
        .where(col(FREQUENCY).gt(0))
        .withColumn(FIRST, date_from_unix_date(col(FIRST)))
        .withColumn(LAST, date_from_unix_date(col(LAST)));
  }

  /** The per-customer totals of {@link #totals}. */
  private static final Encoder<Row> TOTALS =
      Encoders.row(
          new StructType()
              .add(CUSTOMER_ID, DataTypes.StringType)
              .add(FIRST, DataTypes.IntegerType)
              .add(LAST, DataTypes.IntegerType)
              .add(FREQUENCY, DataTypes.LongType, false)
              .add(CENTS, DataTypes.LongType, false)
              .add(MARGIN_CENTS, DataTypes.LongType, false)
              .add(WEB_INVOICES, DataTypes.LongType, false)
              .add(MEDIAN_GAP, DataTypes.DoubleType));

  /**
   * One customer's totals from its lines (columns as projected in {@link #perCustomer}). An invoice
   * is a purchase when it has a line with a positive quantity, on the earliest day of its lines,
   * and a web purchase when it has a web line; cents and margin are net over every invoice. The
   * lines are used invoice lines, whose quantity and price are never null (a null would count 0).
   */
  private static Row totals(String customer, Iterator<Row> lines) {
    Map<String, int[]> invoices = new HashMap<>();
    long cents = 0;
    long margin = 0;
    while (lines.hasNext()) {
      Row line = lines.next();
      cents += line.isNullAt(4) ? 0 : line.getLong(4);
      margin += line.isNullAt(5) ? 0 : line.getLong(5);
      // {earliest day, has a purchase line, has a web line}
      int[] invoice =
          invoices.computeIfAbsent(line.getString(1), id -> new int[] {Integer.MAX_VALUE, 0, 0});
      if (!line.isNullAt(2)) {
        invoice[0] = Math.min(invoice[0], line.getInt(2));
      }
      invoice[1] |= !line.isNullAt(3) && line.getBoolean(3) ? 1 : 0;
      invoice[2] |= line.getBoolean(6) ? 1 : 0;
    }
    Integer first = null;
    Integer last = null;
    long purchases = 0;
    long web = 0;
    Set<Integer> days = new HashSet<>();
    for (int[] invoice : invoices.values()) {
      if (invoice[1] == 1) {
        purchases++;
        web += invoice[2];
        if (invoice[0] != Integer.MAX_VALUE) {
          first = first == null ? invoice[0] : Math.min(first, invoice[0]);
          last = last == null ? invoice[0] : Math.max(last, invoice[0]);
          days.add(invoice[0]);
        }
      }
    }
    return RowFactory.create(
        customer,
        first,
        last,
        purchases,
        cents,
        margin,
        web,
        DayGaps.median(DayGaps.gaps(DayGaps.sorted(days))));
  }

  /** The measures in original units from a customer's totals. */
  private static Dataset<Row> measures(Dataset<Row> customers, LocalDate asOf) {
    Column asOfDate = lit(Date.valueOf(asOf));
    Column months = greatest(col(TENURE_DAYS), lit(MONTH_DAYS)).divide(MONTH_DAYS);
    return customers
        .withColumn(RECENCY_DAYS, datediff(asOfDate, col(LAST)))
        .withColumn(TENURE_DAYS, datediff(asOfDate, col(FIRST)))
        .withColumn(MONETARY, col(CENTS).divide(100))
        .withColumn(PURCHASES_PER_MONTH, col(FREQUENCY).divide(months))
        .withColumn(SPEND_PER_MONTH, col(MONETARY).divide(months))
        .withColumn(AVERAGE_ORDER_VALUE, col(MONETARY).divide(col(FREQUENCY)))
        .withColumn(MARGIN, col(MARGIN_CENTS).divide(100))
        .withColumn(WEB_SHARE, col(WEB_INVOICES).divide(col(FREQUENCY)));
  }

  private static Column isWeb(Dataset<Row> lines) {
    return List.of(lines.columns()).contains(CHANNEL)
        ? coalesce(Codes.isWeb(col(CHANNEL)), lit(false))
        : lit(false);
  }

  /** The lines with their margin in cents: by margin rate, else by unit cost, else 0. */
  private static Dataset<Row> withMargin(Dataset<Row> lines, Optional<Dataset<Row>> products) {
    if (products.isEmpty()) {
      return lines.withColumn(MARGIN_CENTS, lit(0L));
    }
    Dataset<Row> p = products.get();
    Schemas.require(p, "products", PRODUCT_ID, UNIT_COST, MARGIN_RATE);
    Dataset<Row> costs = p.select(col(PRODUCT_ID), col(UNIT_COST), col(MARGIN_RATE));
    Column price = col(UNIT_PRICE).cast("double");
    Column margin =
        when(col(MARGIN_RATE).isNotNull(), price.multiply(col(MARGIN_RATE)))
            .when(col(UNIT_COST).isNotNull(), price.minus(col(UNIT_COST).cast("double")))
            .otherwise(lit(0.0));
    return lines
        .join(broadcast(costs), JoinKeys.of(PRODUCT_ID), "left")
        .withColumn(
            MARGIN_CENTS,
            round(col(QUANTITY).cast("double").multiply(margin).multiply(100)).cast("long"));
  }
}
