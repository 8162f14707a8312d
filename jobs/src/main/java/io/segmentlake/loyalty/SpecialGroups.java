package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_intersect;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.year;

import io.segmentlake.Schemas;
import io.segmentlake.config.SpecialGroupSettings.GroupRule;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Special customer groups: rows (special_group, customer_id, reason). */
final class SpecialGroups {
  static final String TOP_BUYER = "top_buyer";
  private static final String YEAR = "_year";
  private static final String UNITS = "_units";
  private static final String TOP = "_top_units";
  private static final String FLAG = "_flag";
  private static final String PRODUCTS = "_products";

  private SpecialGroups() {}

  /**
   * The top buyers by net quantity of every product in each of the last `years` calendar years up
   * to the as-of date's (ties all kept; a net quantity of 0 or less tops nothing). Each customer's
   * units per product and year are summed from that customer's lines alone (grouped by customer,
   * which the lines already are: no shuffle, no hash table over every customer, product and year);
   * each partition keeps only its own leaders per product and year, which are all a customer can be
   * top with, since a customer's lines are all in one partition; the leaders across partitions are
   * a small window at the end.
   */
  static Dataset<Row> topBuyers(Dataset<Row> lines, LocalDate asOf, int years) {
    Schemas.require(lines, "used invoices", CUSTOMER_ID, INVOICE_TS, PRODUCT_ID, QUANTITY);
    StructType units =
        new StructType()
            .add(CUSTOMER_ID, DataTypes.StringType)
            .add(PRODUCT_ID, DataTypes.StringType)
            .add(YEAR, DataTypes.IntegerType)
            .add(UNITS, DataTypes.LongType);
    Dataset<Row> recent =
        lines
            .select(
                col(CUSTOMER_ID),
                col(PRODUCT_ID),
                year(to_date(col(INVOICE_TS))).as(YEAR),
                col(QUANTITY).cast("long").as(UNITS))
            .where(col(YEAR).gt(asOf.getYear() - years));
    Dataset<Row> leaders =
        recent
            .groupBy(col(CUSTOMER_ID))
            .as(Encoders.STRING(), Encoders.row(units))
            .flatMapGroups(
                (FlatMapGroupsFunction<String, Row, Row>) SpecialGroups::customerUnits,
                Encoders.row(units))
            .mapPartitions(
                (MapPartitionsFunction<Row, Row>) SpecialGroups::partitionLeaders,
                Encoders.row(units));
    return leaders
        .withColumn(TOP, max(col(UNITS)).over(Window.partitionBy(col(PRODUCT_ID), col(YEAR))))
        .where(col(UNITS).equalTo(col(TOP)))
        .select(
            lit(TOP_BUYER).as(SPECIAL_GROUP),
            col(CUSTOMER_ID),
            concat(
                    lit("top buyer of "),
                    col(PRODUCT_ID),
                    lit(" in "),
                    col(YEAR).cast("string"),
                    lit(" ("),
                    col(UNITS).cast("string"),
                    lit(" units)"))
                .as(REASON));
  }

  /** One customer's positive net units per product and year (rows as in {@link #topBuyers}). */
  private static Iterator<Row> customerUnits(String customer, Iterator<Row> lines) {
    // Year -> product -> units: a customer's lines fall in a few years; no key object per line.
    Map<Integer, Map<String, long[]>> units = new TreeMap<>();
    while (lines.hasNext()) {
      Row line = lines.next();
      if (!line.isNullAt(1) && !line.isNullAt(2) && !line.isNullAt(3)) {
        units.computeIfAbsent(line.getInt(2), y -> new HashMap<>())
                .computeIfAbsent(line.getString(1), p -> new long[1])[0] +=
            line.getLong(3);
      }
    }
    List<Row> rows = new ArrayList<>();
    units.forEach(
        (year, products) ->
            products.forEach(
                (product, n) -> {
                  if (n[0] > 0) {
                    rows.add(RowFactory.create(customer, product, year, n[0]));
                  }
                }));
    return rows.iterator();
  }

  /** The rows at the highest units of their product and year within one partition. */
  private static Iterator<Row> partitionLeaders(Iterator<Row> units) {
    Map<Integer, Map<String, List<Row>>> leaders = new TreeMap<>();
    while (units.hasNext()) {
      Row row = units.next();
      List<Row> at =
          leaders
              // Sized for the products a partition typically sees: no rehashing as it fills.
              .computeIfAbsent(row.getInt(2), y -> new HashMap<>(1 << 14))
              .computeIfAbsent(row.getString(1), p -> new ArrayList<>());
      long best = at.isEmpty() ? Long.MIN_VALUE : at.get(0).getLong(3);
      if (row.getLong(3) > best) {
        at.clear();
      }
      if (row.getLong(3) >= best) {
        at.add(row);
      }
    }
    return leaders.values().stream()
        .flatMap(products -> products.values().stream())
        .flatMap(List::stream)
        .iterator();
  }

  /**
   * Buyers of products carrying one of the flags (compared trimmed and in lower case), in the
   * points window: group bought_<flag>.
   */
  static Dataset<Row> flaggedBuyers(
      Dataset<Row> lines, Dataset<Row> products, List<String> flags, LocalDate asOf, int days) {
    Schemas.require(products, "products", PRODUCT_ID, FLAGS);
    Column wanted =
        array(
            flags.stream()
                .map(f -> lit(f.trim().toLowerCase(java.util.Locale.ROOT)))
                .toArray(Column[]::new));
    Column productFlags = transform(col(FLAGS), f -> lower(trim(f)));
    Dataset<Row> flagged =
        products
            .where(arrays_overlap(productFlags, wanted))
            .select(col(PRODUCT_ID), explode(array_intersect(productFlags, wanted)).as(FLAG));
    Dataset<Row> bought =
        lines.where(
            col(QUANTITY).gt(0).and(PurchasePoints.inWindow(to_date(col(INVOICE_TS)), asOf, days)));
    return bought
        .join(flagged, PRODUCT_ID)
        .groupBy(col(CUSTOMER_ID), col(FLAG))
        .agg(count_distinct(col(PRODUCT_ID)).as(PRODUCTS))
        .select(
            concat(lit("bought_"), col(FLAG)).as(SPECIAL_GROUP),
            col(CUSTOMER_ID),
            concat(
                    lit("bought "),
                    col(PRODUCTS).cast("string"),
                    lit(" product(s) flagged '"),
                    col(FLAG),
                    lit("' in the points window"))
                .as(REASON));
  }

  /** Customers matching each rule (tier, rfm_segment, recency_days, points). */
  static Dataset<Row> byRules(Dataset<Row> customers, List<GroupRule> rules) {
    Schemas.require(customers, "loyalty points", CUSTOMER_ID, TIER, RECENCY_DAYS, POINTS);
    Dataset<Row> groups = null;
    for (GroupRule rule : rules) {
      Dataset<Row> members =
          customers
              .where(condition(rule))
              .select(
                  lit(rule.group()).as(SPECIAL_GROUP),
                  col(CUSTOMER_ID),
                  lit(reason(rule)).as(REASON));
      groups = groups == null ? members : groups.unionByName(members);
    }
    return groups;
  }

  private static Column condition(GroupRule rule) {
    Column c = lit(true);
    if (!rule.tiers().isEmpty()) {
      c = c.and(col(TIER).isin(rule.tiers().toArray()));
    }
    if (rule.needsRfm()) {
      c = c.and(col(RFM_SEGMENT).isin(rule.rfmSegments().toArray()));
    }
    c = rule.minRecencyDays().map(d -> col(RECENCY_DAYS).geq(d)).map(c::and).orElse(c);
    c = rule.maxRecencyDays().map(d -> col(RECENCY_DAYS).leq(d)).map(c::and).orElse(c);
    return rule.minPoints().map(p -> col(POINTS).geq(p)).map(c::and).orElse(c);
  }

  /** The rule in words, e.g. "tier in [Gold] and rfm_segment in [Champions, Loyal]". */
  static String reason(GroupRule rule) {
    List<String> parts = new ArrayList<>();
    if (!rule.tiers().isEmpty()) {
      parts.add("tier in " + rule.tiers());
    }
    if (rule.needsRfm()) {
      parts.add("rfm_segment in " + rule.rfmSegments());
    }
    rule.minRecencyDays().ifPresent(d -> parts.add("no purchase for " + fmt(d) + "+ days"));
    rule.maxRecencyDays().ifPresent(d -> parts.add("bought within " + fmt(d) + " days"));
    rule.minPoints().ifPresent(p -> parts.add("points >= " + fmt(p)));
    return parts.isEmpty() ? "every customer" : String.join(" and ", parts);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
