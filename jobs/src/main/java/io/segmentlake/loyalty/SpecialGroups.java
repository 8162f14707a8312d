package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.segmentlake.config.SpecialGroupSettings.GroupRule;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Special customer groups: rows (special_group, customer_id, reason). */
final class SpecialGroups {
  static final String TOP_BUYER = "top_buyer";
  private static final String TOP = "_top_units";
  private static final String TOP_PRODUCT = "_top_product";
  private static final String TOP_YEAR = "_top_year";

  private SpecialGroups() {}

  /**
   * The top buyers by net quantity of every product in each of the last `years` calendar years up
   * to the as-of date's (ties all kept; a net quantity of 0 or less tops nothing), from the units
   * rows of the {@link LinePass}: each customer's net units per product and year, already reduced
   * to each partition's leaders. The most units of each product and year bought (an aggregate: one
   * row per product id in the lines and year, of the size of the catalog, broadcast like the
   * products) are joined to the leaders where they are, which keeps those that reach them: the
   * leader rows are neither shuffled nor sorted (before, a window over them was). Units rows always
   * have a product id; the ids are compared null-safe as the window's partitions were.
   */
  static Dataset<Row> topBuyers(Dataset<Row> pass) {
    Dataset<Row> leaders = LinePass.ofKind(pass, LinePass.UNITS);
    Dataset<Row> tops =
        leaders
            .groupBy(col(PRODUCT_ID).as(TOP_PRODUCT), col(LinePass.YEAR).as(TOP_YEAR))
            .agg(max(col(LinePass.UNITS_BOUGHT)).as(TOP));
    return leaders
        .join(
            broadcast(tops),
            col(PRODUCT_ID)
                .eqNullSafe(col(TOP_PRODUCT))
                .and(col(LinePass.YEAR).equalTo(col(TOP_YEAR)))
                .and(col(LinePass.UNITS_BOUGHT).equalTo(col(TOP))))
        .select(
            lit(TOP_BUYER).as(SPECIAL_GROUP),
            col(CUSTOMER_ID),
            concat(
                    lit("top buyer of "),
                    col(PRODUCT_ID),
                    lit(" in "),
                    col(LinePass.YEAR).cast("string"),
                    lit(" ("),
                    col(LinePass.UNITS_BOUGHT).cast("string"),
                    lit(" units)"))
                .as(REASON));
  }

  /**
   * The group of buyers of products carrying a configured flag (compared trimmed and in lower case)
   * in the points window, bought_<flag>, and the reason for a customer who bought n of them:
   * {group, reason}.
   */
  static String[] flagged(String flag, long n) {
    return new String[] {
      "bought_" + flag, "bought " + n + " product(s) flagged '" + flag + "' in the points window"
    };
  }

  /** A group rule as the executors test it: every condition that is given must hold. */
  record Rule(
      String group,
      Set<String> tiers,
      Set<String> rfmSegments,
      Double minRecencyDays,
      Double maxRecencyDays,
      Double minPoints,
      String reason)
      implements Serializable {

    static Rule of(GroupRule rule) {
      return new Rule(
          rule.group(),
          Set.copyOf(rule.tiers()),
          Set.copyOf(rule.rfmSegments()),
          rule.minRecencyDays().orElse(null),
          rule.maxRecencyDays().orElse(null),
          rule.minPoints().orElse(null),
          SpecialGroups.reason(rule));
    }

    /** Whether a customer is in the group (no segment or recency: not in a group that asks). */
    boolean matches(String tier, String rfmSegment, Integer recencyDays, double points) {
      return (tiers.isEmpty() || tiers.contains(tier))
          && (rfmSegments.isEmpty() || rfmSegment != null && rfmSegments.contains(rfmSegment))
          && (minRecencyDays == null || recencyDays != null && recencyDays >= minRecencyDays)
          && (maxRecencyDays == null || recencyDays != null && recencyDays <= maxRecencyDays)
          && (minPoints == null || points >= minPoints);
    }
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
