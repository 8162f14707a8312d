package io.segmentlake.reports;

import static io.segmentlake.reports.ReportColumns.AVERAGE_CLV;
import static io.segmentlake.reports.ReportColumns.CHURN_RISK;
import static io.segmentlake.reports.ReportColumns.CLUSTER_NAME;
import static io.segmentlake.reports.ReportColumns.CLV_HORIZON_DAYS;
import static io.segmentlake.reports.ReportColumns.CUSTOMERS;
import static io.segmentlake.reports.ReportColumns.CUSTOMER_TYPE;
import static io.segmentlake.reports.ReportColumns.DIMENSION;
import static io.segmentlake.reports.ReportColumns.FREQUENCY;
import static io.segmentlake.reports.ReportColumns.MONETARY;
import static io.segmentlake.reports.ReportColumns.RECENCY_DAYS;
import static io.segmentlake.reports.ReportColumns.REGION;
import static io.segmentlake.reports.ReportColumns.REVENUE;
import static io.segmentlake.reports.ReportColumns.REVENUE_SHARE;
import static io.segmentlake.reports.ReportColumns.RFM_SEGMENT;
import static io.segmentlake.reports.ReportColumns.SALES_REP_ID;
import static io.segmentlake.reports.ReportColumns.SHARE;
import static io.segmentlake.reports.ReportColumns.TIER;
import static io.segmentlake.reports.ReportColumns.UNASSIGNED;
import static io.segmentlake.reports.ReportColumns.UNKNOWN;
import static io.segmentlake.reports.ReportColumns.VALUE;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Money;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The dashboard tables aggregated from customer_segments: segment_summary (per dimension and value)
 * and sales_rep_performance (per sales rep); channel_effectiveness is in {@link Channels}. Revenue
 * is the customers' net monetary value of the RFM window; CLV is the longest horizon's.
 */
final class Rollups {
  /** The dimensions of segment_summary and the customer_segments column of each. */
  static final Map<String, String> DIMENSIONS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rfm_segment", RFM_SEGMENT);
    d.put("tier", TIER);
    d.put("cluster", CLUSTER_NAME);
    d.put("churn_risk", CHURN_RISK);
    d.put("region", REGION);
    d.put("customer_type", CUSTOMER_TYPE);
    DIMENSIONS = Collections.unmodifiableMap(d);
  }

  private Rollups() {}

  /** The CLV column of the longest horizon in customer_segments, with its days. */
  record Clv(String column, int days) {
    static Optional<Clv> of(Dataset<Row> segments) {
      return Arrays.stream(segments.columns())
          .filter(c -> c.matches("clv_\\d+d"))
          .map(c -> new Clv(c, Integer.parseInt(c.substring(4, c.length() - 1))))
          .max((a, b) -> Integer.compare(a.days(), b.days()));
    }
  }

  /**
   * One row per dimension and value: customers, share, revenue and its share, average and median
   * R/F/M, average CLV. A null value (e.g. no region) counts as "unknown"; a dimension whose stage
   * has not run is left out.
   */
  static Dataset<Row> segmentSummary(
      Dataset<Row> segments, Optional<Clv> clv, Map<String, String> dimensions) {
    Column[] entries =
        dimensions.entrySet().stream()
            .map(
                e ->
                    struct(
                        lit(e.getKey()).as(DIMENSION),
                        coalesce(col(e.getValue()).cast("string"), lit(UNKNOWN)).as(VALUE)))
            .toArray(Column[]::new);
    Dataset<Row> long_ =
        segments
            .withColumn("_entry", explode(array(entries)))
            .select(
                col("_entry." + DIMENSION).as(DIMENSION),
                col("_entry." + VALUE).as(VALUE),
                col(RECENCY_DAYS),
                col(FREQUENCY),
                col(MONETARY),
                clvOf(clv));
    WindowSpec byDimension = Window.partitionBy(DIMENSION);
    return long_
        .groupBy(DIMENSION, VALUE)
        .agg(
            count(lit(1)).as(CUSTOMERS),
            Money.of(sum(col(MONETARY))).as(REVENUE),
            avg(col(RECENCY_DAYS)).as("average_recency_days"),
            median(col(RECENCY_DAYS).cast("double")).as("median_recency_days"),
            avg(col(FREQUENCY)).as("average_frequency"),
            median(col(FREQUENCY).cast("double")).as("median_frequency"),
            Money.of(avg(col(MONETARY))).as("average_monetary"),
            Money.of(median(col(MONETARY).cast("double"))).as("median_monetary"),
            Money.of(avg(col(AVERAGE_CLV))).as(AVERAGE_CLV))
        .withColumn(SHARE, ratio(col(CUSTOMERS), sum(col(CUSTOMERS)).over(byDimension)))
        .withColumn(REVENUE_SHARE, ratio(col(REVENUE), sum(col(REVENUE)).over(byDimension)))
        .withColumn(CLV_HORIZON_DAYS, horizon(clv))
        .select(
            col(DIMENSION),
            col(VALUE),
            col(CUSTOMERS),
            col(SHARE),
            col(REVENUE),
            col(REVENUE_SHARE),
            col("average_recency_days"),
            col("median_recency_days"),
            col("average_frequency"),
            col("median_frequency"),
            col("average_monetary"),
            col("median_monetary"),
            col(AVERAGE_CLV),
            col(CLV_HORIZON_DAYS))
        .orderBy(col(DIMENSION), col(CUSTOMERS).desc(), col(VALUE));
  }

  /**
   * One row per sales rep (customers without one: "unassigned"): customers, revenue and its share,
   * the champions and customers at risk (by churn_risk) with their shares, average CLV and the
   * segment mix (segment → customers); without predictions (withRisk false) the at-risk figures are
   * null.
   */
  static Dataset<Row> salesReps(
      Dataset<Row> segments,
      Optional<Clv> clv,
      String champions,
      List<String> atRisk,
      boolean withRisk) {
    Column risky =
        withRisk
            ? when(col(CHURN_RISK).isin(atRisk.toArray()), 1).otherwise(0)
            : lit(null).cast("int");
    Dataset<Row> bySegment =
        segments
            .select(
                coalesce(col(SALES_REP_ID), lit(UNASSIGNED)).as(SALES_REP_ID),
                coalesce(col(RFM_SEGMENT), lit(UNKNOWN)).as(RFM_SEGMENT),
                col(MONETARY),
                risky.as("_at_risk"),
                clvOf(clv))
            .groupBy(SALES_REP_ID, RFM_SEGMENT)
            .agg(
                count(lit(1)).as(CUSTOMERS),
                sum(col(MONETARY)).as(REVENUE),
                sum(col("_at_risk")).as("_at_risk"),
                sum(col(AVERAGE_CLV)).as("_clv"),
                count(col(AVERAGE_CLV)).as("_clv_customers"));
    Dataset<Row> byRep =
        bySegment
            .groupBy(SALES_REP_ID)
            .agg(
                sum(col(CUSTOMERS)).as(CUSTOMERS),
                Money.of(sum(col(REVENUE))).as(REVENUE),
                sum(when(col(RFM_SEGMENT).equalTo(champions), col(CUSTOMERS)).otherwise(0))
                    .as("champions"),
                sum(col("_at_risk")).as("customers_at_risk"),
                Money.of(ratio(sum(col("_clv")), sum(col("_clv_customers")))).as(AVERAGE_CLV),
                map_from_entries(array_sort(collect_list(struct(col(RFM_SEGMENT), col(CUSTOMERS)))))
                    .as("segment_mix"));
    return withTotals(byRep, REVENUE)
        .withColumn(REVENUE_SHARE, ratio(col(REVENUE), col(total(REVENUE))))
        .withColumn("champions_share", ratio(col("champions"), col(CUSTOMERS)))
        .withColumn("at_risk_share", ratio(col("customers_at_risk"), col(CUSTOMERS)))
        .withColumn(CLV_HORIZON_DAYS, horizon(clv))
        .select(
            col(SALES_REP_ID),
            col(CUSTOMERS),
            col(REVENUE),
            col(REVENUE_SHARE),
            col("champions"),
            col("champions_share"),
            col("customers_at_risk"),
            col("at_risk_share"),
            col(AVERAGE_CLV),
            col(CLV_HORIZON_DAYS),
            col("segment_mix"))
        .orderBy(col(REVENUE).desc(), col(SALES_REP_ID));
  }

  /** The rows with a column _total_<column> holding the column's sum over all of them. */
  static Dataset<Row> withTotals(Dataset<Row> rows, String column) {
    return rows.crossJoin(rows.agg(sum(col(column)).as(total(column))));
  }

  static String total(String column) {
    return "_total_" + column;
  }

  /** a / b as a double; null when b is 0 or null. */
  static Column ratio(Column a, Column b) {
    return when(b.notEqual(0), a.cast("double").divide(b.cast("double")));
  }

  static Column clvOf(Optional<Clv> clv) {
    return clv.map(c -> col(c.column())).orElse(lit(null).cast(Money.TYPE)).as(AVERAGE_CLV);
  }

  static Column horizon(Optional<Clv> clv) {
    return clv.map(c -> lit(c.days())).orElse(lit(null)).cast("int");
  }
}
