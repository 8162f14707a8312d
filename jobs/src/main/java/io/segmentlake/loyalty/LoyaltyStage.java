package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JoinKeys;
import io.segmentlake.Schemas;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.SpecialGroupSettings.GroupRule;
import io.segmentlake.config.TierSettings;
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

/** The loyalty stage: points per rule family, tiers and special groups for the whole base. */
public final class LoyaltyStage {
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

  /** What the stage produced; release() frees the assembled rows it keeps. */
  public record Result(
      Dataset<Row> points,
      Dataset<Row> special,
      long customers,
      Map<String, Object> summary,
      Runnable release) {}

  /**
   * Scores every customer with purchase totals, points earned, an employer share, a previous tier
   * or a special group. If computing the rows fails, the stage frees what it kept.
   */
  public static Result run(Inputs in, LocalDate asOf, LoyaltySettings s) {
    List<String> skipped = skippedRules(in);
    // What frees the rows of the passes before the assembly.
    List<Runnable> kept = new ArrayList<>();
    Dataset<Row> pass =
        keep(LinePass.run(in.usedInvoices(), in.interactions(), in.products(), asOf, s), kept);
    Assembly assembly = new Assembly(asOf, s, groupRules(in, s, skipped));
    List<Dataset<Row>> others = new ArrayList<>();
    in.customers()
        .ifPresent(
            c -> {
              others.add(Assembly.customers(c));
              // Kept: the employer shares and (with a referral rule) the referrals read it.
              Dataset<Row> links =
                  keep(assembly.links(LinePass.ofKind(pass, LinePass.TOTALS), c), kept);
              others.add(Assembly.shares(employerShares(c, links, s.employerShare())));
              InteractionPoints.referrals(links, s.interactions())
                  .map(r -> InteractionPoints.perEvent(r, s.interactions(), asOf, s.windowDays()))
                  .ifPresent(r -> others.add(Assembly.earned(r)));
            });
    in.previous().ifPresent(p -> others.add(Assembly.previous(p)));
    in.rfmScores().ifPresent(r -> others.add(Assembly.rfm(r)));
    if (s.special().topBuyerYears() > 0) {
      others.add(Assembly.groups(SpecialGroups.topBuyers(pass)));
    }
    // Kept until release(): the summary, both tables and the stages after this one read it.
    ByCustomer.Kept assembled = Assembly.run(pass, others, assembly);
    Dataset<Row> points = Assembly.points(assembled.rows());
    Map<String, Object> summary;
    try {
      summary = summary(points, in.previous().isPresent(), skipped, s.tiers());
    } catch (RuntimeException e) {
      assembled.release().run();
      throw e;
    } finally {
      // The summary computed the assembled rows: the passes' rows they came from are not read
      // again.
      kept.forEach(Runnable::run);
    }
    return new Result(
        points,
        Assembly.special(assembled.rows()),
        (Long) summary.get("customers"),
        summary,
        assembled.release());
  }

  /** A pass's kept rows; what frees them is added to the list. */
  private static Dataset<Row> keep(ByCustomer.Kept pass, List<Runnable> kept) {
    kept.add(pass.release());
    return pass.rows();
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
   * The special-group rules to apply; a rule on RFM segments without the date's RFM scores is
   * skipped (and said so).
   */
  private static List<SpecialGroups.Rule> groupRules(
      Inputs in, LoyaltySettings s, List<String> skipped) {
    List<SpecialGroups.Rule> rules = new ArrayList<>();
    for (GroupRule rule : s.special().rules()) {
      if (rule.needsRfm() && in.rfmScores().isEmpty()) {
        skipped.add(
            "special group '" + rule.group() + "' (no rfm_scores for the date: run rfm first)");
      } else {
        rules.add(SpecialGroups.Rule.of(rule));
      }
    }
    return rules;
  }

  /**
   * Each employee of a legal customer with used lines gets the share of the employer's own purchase
   * points (its purchase families times its type multiplier; 0 without purchase points in the
   * window): rows (customer_id, employer_share_points). From the own points rows of the links
   * ({@link Assembly#links}).
   */
  private static Dataset<Row> employerShares(
      Dataset<Row> customers, Dataset<Row> links, double share) {
    Schemas.require(customers, "customers", CUSTOMER_ID, EMPLOYER_ID);
    Dataset<Row> employers =
        LinePass.ofKind(links, Assembly.OWN_ROW)
            .select(col(CUSTOMER_ID).as(EMPLOYER_ID), col(Assembly.OWN));
    return customers
        .where(col(EMPLOYER_ID).isNotNull())
        .select(col(CUSTOMER_ID), col(EMPLOYER_ID))
        .join(employers, JoinKeys.of(EMPLOYER_ID))
        .select(col(CUSTOMER_ID), col(Assembly.OWN).multiply(share).as(EMPLOYER_SHARE_POINTS));
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
}
