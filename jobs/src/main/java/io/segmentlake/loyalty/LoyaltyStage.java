package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JoinKeys;
import io.segmentlake.Money;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.SpecialGroupSettings.GroupRule;
import io.segmentlake.config.TierSettings;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/** The loyalty stage: points per rule family, tiers and special groups for the whole base. */
public final class LoyaltyStage {
  private static final String OWN = "_own_purchase_points";
  private static final String PREVIOUS_RUN = "_in_previous_run";

  private LoyaltyStage() {}

  /**
   * The stage's inputs: used invoice lines; the used rows of the optional tables; the date's RFM
   * scores; the latest earlier loyalty_points partition.
   */
  public record Inputs(
      Dataset<Row> usedInvoices,
      Optional<Dataset<Row>> products,
      Optional<Dataset<Row>> customers,
      Optional<Dataset<Row>> interactions,
      Optional<Dataset<Row>> rfmScores,
      Optional<Dataset<Row>> previous) {}

  /** What the stage produced; release() frees what it cached. */
  public record Result(
      Dataset<Row> points,
      Dataset<Row> special,
      long customers,
      Map<String, Object> summary,
      Runnable release) {}

  /** Scores every customer with a purchase, points or an earlier tier. */
  public static Result run(Inputs in, LocalDate asOf, LoyaltySettings s) {
    List<String> skipped = skippedRules(in);
    Dataset<Row> pass =
        LinePass.run(in.usedInvoices(), in.products(), asOf, s)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> earned =
        withCustomerType(PurchasePoints.compute(pass, s), in.customers(), s)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> scored =
        Tiers.assign(totals(allPoints(in, pass, earned, asOf, s)), s.tiers())
            .withColumn(RECENCY_DAYS, recency(asOf));
    Dataset<Row> tiered =
        in.rfmScores()
            .map(
                r ->
                    scored.join(
                        r.select(col(CUSTOMER_ID), col(RFM_SEGMENT)),
                        JoinKeys.of(CUSTOMER_ID),
                        "left"))
            .orElse(scored)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<Row>> cached = new ArrayList<>(List.of(pass, earned, tiered));
    Dataset<Row> special =
        special(in, pass, tiered, s, skipped).persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(special);
    Dataset<Row> groups =
        special
            .groupBy(col(CUSTOMER_ID))
            .agg(array_sort(collect_set(col(SPECIAL_GROUP))).as(SPECIAL_GROUPS));
    // Computed and cached by the summary's aggregate in parallel tasks: the table's writer
    // coalesces to its few files, which would otherwise run the last join in one task.
    Dataset<Row> points =
        tiered
            .join(groups, JoinKeys.of(CUSTOMER_ID), "left")
            .select(outputColumns(in.rfmScores().isPresent()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(points);
    Map<String, Object> summary = summary(points, in.previous().isPresent(), skipped, s.tiers());
    return new Result(
        points,
        special.select(col(SPECIAL_GROUP), col(CUSTOMER_ID), col(REASON)),
        (Long) summary.get("customers"),
        summary,
        () -> cached.forEach(Dataset::unpersist));
  }

  /** The rules that an absent optional table turns off, in words for the manifest. */
  private static List<String> skippedRules(Inputs in) {
    List<String> skipped = new ArrayList<>();
    if (in.customers().isEmpty()) {
      skipped.add(
          "customer-type multipliers, employer-share and referral points (no customers table)");
    }
    if (in.products().isEmpty()) {
      skipped.add("product weights and flagged-product groups (no products table)");
    }
    if (in.interactions().isEmpty()) {
      skipped.add(
          "interaction points other than web_purchase and referral (no interactions table)");
    }
    return skipped;
  }

  /**
   * Every customer with purchase points, interaction points, an employer share or an earlier tier:
   * the families (null where a customer has none) and the previous tier.
   */
  private static Dataset<Row> allPoints(
      Inputs in, Dataset<Row> pass, Dataset<Row> earned, LocalDate asOf, LoyaltySettings s) {
    List<Dataset<Row>> events = new ArrayList<>();
    in.interactions()
        .map(i -> InteractionPoints.fromInteractions(i, s.interactions()))
        .ifPresent(events::add);
    in.customers().map(c -> InteractionPoints.referrals(c, earned)).ifPresent(events::add);
    // Web purchases are counted and capped in the line pass.
    List<Dataset<Row>> earnedPerEvent = new ArrayList<>();
    earnedPerEvent.add(
        LinePass.ofKind(pass, LinePass.WEB)
            .select(col(CUSTOMER_ID), col(InteractionPoints.EVENT), col(InteractionPoints.EARNED)));
    for (Dataset<Row> e : events) {
      earnedPerEvent.add(InteractionPoints.perEvent(e, s.interactions(), asOf, s.windowDays()));
    }
    // Every customer of the customers table is in `earned` (with the type); one who did not buy
    // is scored only with points, an employer share or an earlier tier. Each of those columns is
    // set on every row of its source: net_spend on a customer's totals (a sum, 0 without lines in
    // the window), interaction_points (a sum of earned points), the share (of an employer's own
    // points, never null: see employerShare).
    Column scored = col(NET_SPEND).isNotNull().or(col(INTERACTION_POINTS).isNotNull());
    Dataset<Row> all = outer(earned.drop(OWN), InteractionPoints.points(earnedPerEvent));
    if (in.customers().isPresent()) {
      all = outer(all, employerShare(in.customers().get(), earned, s.employerShare()));
      scored = scored.or(col(EMPLOYER_SHARE_POINTS).isNotNull());
    }
    if (in.previous().isEmpty()) {
      return all.where(scored)
          .withColumn(PREVIOUS_TIER, lit(null).cast("string"))
          .withColumn(RUNS_BELOW_TIER, lit(null).cast("int"));
    }
    Dataset<Row> previous =
        in.previous()
            .get()
            .select(
                col(CUSTOMER_ID),
                col(TIER).as(PREVIOUS_TIER),
                col(RUNS_BELOW_TIER),
                lit(true).as(PREVIOUS_RUN));
    return outer(all, previous).where(scored.or(col(PREVIOUS_RUN).isNotNull())).drop(PREVIOUS_RUN);
  }

  /**
   * Adds the customer type, legal kind, customer_type_points and the own purchase points; every
   * customer of the customers table has a row (the purchase columns null for one who did not buy).
   */
  private static Dataset<Row> withCustomerType(
      Dataset<Row> purchases, Optional<Dataset<Row>> customers, LoyaltySettings s) {
    Column subtotal =
        col(PURCHASE_POINTS)
            .plus(col(WEIGHTING_POINTS))
            .plus(col(QUANTITY_POINTS))
            .plus(col(RECENCY_POINTS))
            .plus(col(PERIODICITY_POINTS));
    Dataset<Row> typed =
        customers
            .map(
                c ->
                    purchases.join(
                        c.select(col(CUSTOMER_ID), col(CUSTOMER_TYPE), col(LEGAL_KIND)),
                        JoinKeys.of(CUSTOMER_ID),
                        "full_outer"))
            .orElseGet(
                () ->
                    purchases
                        .withColumn(CUSTOMER_TYPE, lit(null).cast("string"))
                        .withColumn(LEGAL_KIND, lit(null).cast("string")));
    LoyaltySettings.CustomerTypes t = s.customerTypes();
    Column legal =
        PurchasePoints.lookup(lower(trim(col(LEGAL_KIND))), t.legalKinds(), lit(t.legal()));
    Column type = lower(trim(col(CUSTOMER_TYPE)));
    Column multiplier =
        when(type.equalTo("legal"), legal)
            .when(type.equalTo("natural"), lit(t.natural()))
            .otherwise(lit(1.0));
    return typed
        .withColumn(CUSTOMER_TYPE_POINTS, subtotal.multiply(multiplier.minus(1)))
        .withColumn(OWN, subtotal.multiply(multiplier));
  }

  /** Each employee of a legal customer gets the share of the employer's own purchase points. */
  private static Dataset<Row> employerShare(
      Dataset<Row> customers, Dataset<Row> earned, double share) {
    Dataset<Row> employers =
        earned
            .where(lower(trim(col(CUSTOMER_TYPE))).equalTo("legal").and(col(OWN).isNotNull()))
            .select(col(CUSTOMER_ID).as(EMPLOYER_ID), col(OWN));
    return customers
        .where(col(EMPLOYER_ID).isNotNull())
        .select(col(CUSTOMER_ID), col(EMPLOYER_ID))
        .join(employers, JoinKeys.of(EMPLOYER_ID))
        .select(col(CUSTOMER_ID), col(OWN).multiply(share).as(EMPLOYER_SHARE_POINTS));
  }

  /** Every family rounded to two places (absent or null: 0); points is their exact sum. */
  private static Dataset<Row> totals(Dataset<Row> all) {
    Column total = Money.of(lit(0));
    List<String> present = List.of(all.columns());
    for (String family : FAMILIES) {
      Column value = present.contains(family) ? coalesce(col(family), lit(0.0)) : lit(0.0);
      all = all.withColumn(family, Money.ofDouble(value));
      total = total.plus(col(family));
    }
    return all.withColumn(POINTS, Money.of(total));
  }

  private static Column recency(LocalDate asOf) {
    return datediff(lit(Date.valueOf(asOf)), col(LAST_PURCHASE_DATE));
  }

  private static Dataset<Row> special(
      Inputs in, Dataset<Row> pass, Dataset<Row> tiered, LoyaltySettings s, List<String> skipped) {
    List<Dataset<Row>> groups = new ArrayList<>();
    if (s.special().topBuyerYears() > 0) {
      groups.add(SpecialGroups.topBuyers(pass));
    }
    if (in.products().isPresent() && !s.special().flags().isEmpty()) {
      groups.add(SpecialGroups.flaggedBuyers(pass));
    }
    List<GroupRule> rules = new ArrayList<>();
    for (GroupRule rule : s.special().rules()) {
      if (rule.needsRfm() && in.rfmScores().isEmpty()) {
        skipped.add(
            "special group '" + rule.group() + "' (no rfm_scores for the date: run rfm first)");
      } else {
        rules.add(rule);
      }
    }
    if (!rules.isEmpty()) {
      groups.add(SpecialGroups.byRules(tiered, rules));
    }
    Dataset<Row> special =
        tiered
            .sparkSession()
            .emptyDataFrame()
            .select(
                lit(null).cast("string").as(SPECIAL_GROUP),
                lit(null).cast("string").as(CUSTOMER_ID),
                lit(null).cast("string").as(REASON));
    for (Dataset<Row> g : groups) {
      special = special.unionByName(g);
    }
    return special;
  }

  private static Column[] outputColumns(boolean withRfm) {
    List<Column> columns = new ArrayList<>();
    for (String c : List.of(CUSTOMER_ID, POINTS, TIER, PREVIOUS_TIER, TIER_CHANGE)) {
      columns.add(col(c));
    }
    columns.add(Money.of(col(POINTS_TO_NEXT_TIER)).as(POINTS_TO_NEXT_TIER));
    columns.add(col(RUNS_BELOW_TIER));
    for (String family : FAMILIES) {
      columns.add(col(family));
    }
    columns.add(
        coalesce(
                col(INTERACTION_POINTS_BY_EVENT),
                map().cast(DataTypes.createMapType(DataTypes.StringType, Money.TYPE)))
            .as(INTERACTION_POINTS_BY_EVENT));
    columns.add(Money.of(col(NET_SPEND)).as(NET_SPEND));
    for (String c :
        List.of(
            PURCHASE_DAYS,
            MEDIAN_INTERVAL_DAYS,
            INTERVAL_CV,
            FIRST_PURCHASE_DATE,
            LAST_PURCHASE_DATE,
            RECENCY_DAYS,
            CUSTOMER_TYPE,
            LEGAL_KIND)) {
      columns.add(col(c));
    }
    columns.add(withRfm ? col(RFM_SEGMENT) : lit(null).cast("string").as(RFM_SEGMENT));
    columns.add(
        coalesce(col(SPECIAL_GROUPS), org.apache.spark.sql.functions.array().cast("array<string>"))
            .as(SPECIAL_GROUPS));
    return columns.toArray(Column[]::new);
  }

  /**
   * Customers by tier and by tier change, previous tiers that are no longer configured (those
   * customers count as new), and what was skipped (one small aggregate).
   */
  private static Map<String, Object> summary(
      Dataset<Row> points, boolean hadPrevious, List<String> skipped, TierSettings tiers) {
    Map<String, Long> byTier = new TreeMap<>();
    Map<String, Long> byChange = new TreeMap<>();
    Map<String, Long> unknownPrevious = new TreeMap<>();
    Column unknown =
        when(col(PREVIOUS_TIER).isin(tiers.names().toArray()).unary_$bang(), col(PREVIOUS_TIER));
    long customers = 0;
    double total = 0;
    for (Row r :
        points
            .groupBy(col(TIER), col(TIER_CHANGE), unknown)
            .agg(count(lit(1)), sum(col(POINTS)).cast("double"))
            .collectAsList()) {
      long n = r.getLong(3);
      byTier.merge(r.getString(0), n, Long::sum);
      byChange.merge(r.getString(1), n, Long::sum);
      if (!r.isNullAt(2)) {
        unknownPrevious.merge(r.getString(2), n, Long::sum);
      }
      customers += n;
      total += r.isNullAt(4) ? 0 : r.getDouble(4);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customers", customers);
    m.put("points_total", Math.round(total * 100) / 100.0);
    m.put("customers_by_tier", byTier);
    m.put("customers_by_tier_change", byChange);
    m.put("previous_run", hadPrevious);
    m.put("previous_tiers_not_configured", unknownPrevious);
    m.put("rules_skipped", skipped);
    return m;
  }

  private static Dataset<Row> outer(Dataset<Row> left, Dataset<Row> right) {
    return left.join(right, JoinKeys.of(CUSTOMER_ID), "full_outer");
  }
}
