package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Money;
import io.segmentlake.Schemas;
import io.segmentlake.config.InteractionRule;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Points per interaction: events from the interactions table, web-store purchases and converted
 * referrals, each kind with its points and a cap of counted events per customer and period.
 */
final class InteractionPoints {
  /** Derived event kinds. */
  static final String WEB_PURCHASE = "web_purchase";

  static final String REFERRAL = "referral";

  private static final String EVENT = "_event";
  private static final String DAY = "_day";
  private static final String BUCKET = "_bucket";
  private static final String COUNTED = "_counted";
  private static final String EARNED = "_earned";

  private InteractionPoints() {}

  /**
   * Events of the interactions table. The two derived kinds are left out: referral (whether the
   * referred customer bought is known only from customers.referred_by) and web_purchase (from the
   * invoices), so that neither is counted twice.
   */
  static Dataset<Row> fromInteractions(Dataset<Row> interactions) {
    Schemas.require(interactions, "interactions", CUSTOMER_ID, EVENT_TS, EVENT_TYPE);
    Column event = lower(trim(col(EVENT_TYPE)));
    return interactions
        .select(col(CUSTOMER_ID), event.as(EVENT), to_date(col(EVENT_TS)).as(DAY))
        .where(col(EVENT).isin(REFERRAL, WEB_PURCHASE).unary_$bang());
  }

  /** One web_purchase event per invoice with a purchase line whose channel is "web". */
  static Dataset<Row> webPurchases(Dataset<Row> lines) {
    Schemas.require(lines, "used invoices", CUSTOMER_ID, INVOICE_ID, INVOICE_TS, QUANTITY, CHANNEL);
    return lines
        .where(col(QUANTITY).gt(0).and(lower(trim(col(CHANNEL))).equalTo("web")))
        .groupBy(col(CUSTOMER_ID), col(INVOICE_ID))
        .agg(min(to_date(col(INVOICE_TS))).as(DAY))
        .select(col(CUSTOMER_ID), lit(WEB_PURCHASE).as(EVENT), col(DAY));
  }

  /**
   * One referral event for the referrer of each customer who has bought, on the day of the referred
   * customer's first purchase.
   */
  static Dataset<Row> referrals(Dataset<Row> customers, Dataset<Row> purchases) {
    Schemas.require(customers, "customers", CUSTOMER_ID, REFERRED_BY);
    Dataset<Row> referred = customers.where(col(REFERRED_BY).isNotNull());
    return referred
        .join(purchases, referred.col(CUSTOMER_ID).equalTo(purchases.col(CUSTOMER_ID)))
        .where(purchases.col(FIRST_PURCHASE_DATE).isNotNull())
        .select(
            referred.col(REFERRED_BY).as(CUSTOMER_ID),
            lit(REFERRAL).as(EVENT),
            purchases.col(FIRST_PURCHASE_DATE).as(DAY));
  }

  /**
   * Capped points per customer and event kind from events (customer_id, event, day) of one source.
   * Each source is aggregated on its own, so that a source already partitioned by customer (the
   * invoices, the interactions) is not shuffled.
   */
  static Dataset<Row> perEvent(
      Dataset<Row> events, List<InteractionRule> rules, LocalDate asOf, int windowDays) {
    Object[] oncePerDay =
        rules.stream().filter(InteractionRule::isOncePerDay).map(InteractionRule::event).toArray();
    Column bucket = lit(null).cast("timestamp");
    Column cap = lit(0);
    Column perEvent = lit(0.0);
    for (InteractionRule rule : rules) {
      Column is = col(EVENT).equalTo(rule.event());
      bucket = when(is, bucket(rule.capPeriod())).otherwise(bucket);
      cap = when(is, lit(rule.cap())).otherwise(cap);
      perEvent = when(is, lit(rule.points())).otherwise(perEvent);
    }
    return events
        .where(
            PurchasePoints.inWindow(col(DAY), asOf, windowDays)
                .and(col(EVENT).isin(rules.stream().map(InteractionRule::event).toArray())))
        .groupBy(col(CUSTOMER_ID), col(EVENT), col(DAY))
        .agg(count(lit(1)).as(COUNTED))
        .withColumn(COUNTED, when(col(EVENT).isin(oncePerDay), lit(1L)).otherwise(col(COUNTED)))
        .groupBy(col(CUSTOMER_ID), col(EVENT), bucket.as(BUCKET))
        .agg(sum(col(COUNTED)).as(COUNTED))
        .groupBy(col(CUSTOMER_ID), col(EVENT))
        .agg(sum(least(col(COUNTED), cap).multiply(perEvent)).as(EARNED));
  }

  /** Interaction points per customer, in all and by event kind, from the per-source results. */
  static Dataset<Row> points(List<Dataset<Row>> perEvent) {
    Dataset<Row> all = perEvent.get(0);
    for (Dataset<Row> more : perEvent.subList(1, perEvent.size())) {
      all = all.unionByName(more);
    }
    return all.groupBy(col(CUSTOMER_ID))
        .agg(
            sum(col(EARNED)).as(INTERACTION_POINTS),
            map_from_entries(collect_list(struct(col(EVENT), Money.of(col(EARNED)))))
                .as(INTERACTION_POINTS_BY_EVENT));
  }

  private static Column bucket(InteractionRule.CapPeriod period) {
    return switch (period) {
      case WINDOW -> lit(null).cast("timestamp");
      default -> date_trunc(period.name().toLowerCase(Locale.ROOT), col(DAY));
    };
  }
}
