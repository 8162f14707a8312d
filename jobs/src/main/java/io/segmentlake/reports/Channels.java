package io.segmentlake.reports;

import static io.segmentlake.reports.ReportColumns.ACQUISITION_CHANNEL;
import static io.segmentlake.reports.ReportColumns.AVERAGE_CLV;
import static io.segmentlake.reports.ReportColumns.CLV_HORIZON_DAYS;
import static io.segmentlake.reports.ReportColumns.CUSTOMERS;
import static io.segmentlake.reports.ReportColumns.MONETARY;
import static io.segmentlake.reports.ReportColumns.REVENUE;
import static io.segmentlake.reports.ReportColumns.REVENUE_SHARE;
import static io.segmentlake.reports.ReportColumns.UNKNOWN;
import static io.segmentlake.reports.Rollups.clvOf;
import static io.segmentlake.reports.Rollups.horizon;
import static io.segmentlake.reports.Rollups.ratio;
import static io.segmentlake.reports.Rollups.total;
import static io.segmentlake.reports.Rollups.withTotals;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.segmentlake.Money;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** channel_effectiveness: revenue by acquisition channel with its Pareto ranks and shares. */
final class Channels {
  private static final String RANK_KEY = "_rank_key";

  private Channels() {}

  /**
   * One row per acquisition channel (unknown: "unknown"), by revenue from the highest: customers,
   * revenue, average CLV, their shares, and the cumulative shares down to this channel (Pareto).
   */
  static Dataset<Row> table(Dataset<Row> segments, Optional<Rollups.Clv> clv) {
    Dataset<Row> byChannel =
        segments
            .select(
                coalesce(col(ACQUISITION_CHANNEL), lit(UNKNOWN)).as(ACQUISITION_CHANNEL),
                col(MONETARY),
                clvOf(clv))
            .groupBy(ACQUISITION_CHANNEL)
            .agg(
                count(lit(1)).as(CUSTOMERS),
                Money.of(sum(col(MONETARY))).as(REVENUE),
                Money.of(avg(col(AVERAGE_CLV))).as(AVERAGE_CLV))
            .withColumn(RANK_KEY, coalesce(col(REVENUE), lit(0)));
    // Each channel with the channels ranked at or before it (higher revenue, then by name): its
    // rank and the running totals, without a window over one partition.
    Dataset<Row> before =
        byChannel.select(
            col(ACQUISITION_CHANNEL).as("_b_channel"),
            col(RANK_KEY).as("_b_key"),
            col(CUSTOMERS).as("_b_customers"),
            col(REVENUE).as("_b_revenue"));
    Column atOrBefore =
        col("_b_key")
            .gt(col(RANK_KEY))
            .or(
                col("_b_key")
                    .equalTo(col(RANK_KEY))
                    .and(col("_b_channel").leq(col(ACQUISITION_CHANNEL))));
    Dataset<Row> ranked =
        byChannel
            .join(before, atOrBefore)
            .groupBy(col(ACQUISITION_CHANNEL), col(CUSTOMERS), col(REVENUE), col(AVERAGE_CLV))
            .agg(
                count(lit(1)).cast("int").as("revenue_rank"),
                sum(col("_b_customers")).as("_running_customers"),
                sum(col("_b_revenue")).as("_running_revenue"));
    return withTotals(withTotals(ranked, CUSTOMERS), REVENUE)
        .withColumn("customer_share", ratio(col(CUSTOMERS), col(total(CUSTOMERS))))
        .withColumn(REVENUE_SHARE, ratio(col(REVENUE), col(total(REVENUE))))
        .withColumn(
            "cumulative_customer_share", ratio(col("_running_customers"), col(total(CUSTOMERS))))
        .withColumn("cumulative_revenue_share", ratio(col("_running_revenue"), col(total(REVENUE))))
        .withColumn(CLV_HORIZON_DAYS, horizon(clv))
        .select(
            col(ACQUISITION_CHANNEL),
            col("revenue_rank"),
            col(CUSTOMERS),
            col("customer_share"),
            col(REVENUE),
            col(REVENUE_SHARE),
            col("cumulative_customer_share"),
            col("cumulative_revenue_share"),
            col(AVERAGE_CLV),
            col(CLV_HORIZON_DAYS))
        .orderBy(col("revenue_rank"));
  }
}
