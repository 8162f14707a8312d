package io.segmentlake.reports;

import static io.segmentlake.reports.ReportColumns.AGE_BAND;
import static io.segmentlake.reports.ReportColumns.ATTRIBUTES;
import static io.segmentlake.reports.ReportColumns.BIRTH_DATE;
import static io.segmentlake.reports.ReportColumns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JoinKeys;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * customer_segments, the wide BI table: one row per scored customer with the RFM values, scores and
 * segment, the loyalty points, tier and special groups, the cluster, the predictions, and the
 * customer attributes to slice by. Columns of a stage that has not run (or, for the attributes, of
 * a missing customers input) are left out.
 */
final class CustomerSegments {
  /** The columns taken from each stage table, in order; the predictions add theirs below. */
  static final List<String> RFM =
      List.of(
          "recency_days",
          "frequency",
          "monetary",
          "r_score",
          "f_score",
          "m_score",
          "rfm_cell",
          "rfm_segment",
          "first_purchase_date",
          "last_purchase_date");

  static final List<String> LOYALTY =
      List.of(
          "points",
          "tier",
          "previous_tier",
          "tier_change",
          "points_to_next_tier",
          ReportColumns.SPECIAL_GROUPS);

  static final List<String> CLUSTERS = List.of("cluster_id", "cluster_name");

  /** Prediction columns that are not scores for BI (the model's inputs). */
  private static final List<String> PREDICTION_INPUTS =
      List.of(
          CUSTOMER_ID,
          "x",
          "t_x",
          "t_cal",
          "time_unit",
          "first_purchase_date",
          "last_purchase_date",
          "mean_repeat_spend");

  private CustomerSegments() {}

  /** The wide table: the customers of rfm_scores and loyalty_points, with everything known. */
  static Dataset<Row> build(ReportsStage.Inputs in, LocalDate asOf, List<Integer> ageBands) {
    Dataset<Row> out = select(in.rfm(), RFM);
    if (in.loyalty().isPresent()) {
      out = out.join(select(in.loyalty().get(), LOYALTY), JoinKeys.of(CUSTOMER_ID), "full_outer");
    }
    if (in.clusters().isPresent()) {
      out = out.join(select(in.clusters().get(), CLUSTERS), JoinKeys.of(CUSTOMER_ID), "left");
    }
    if (in.predictions().isPresent()) {
      Dataset<Row> p = in.predictions().get();
      List<String> scores =
          Arrays.stream(p.columns()).filter(c -> !PREDICTION_INPUTS.contains(c)).toList();
      out = out.join(select(p, scores), JoinKeys.of(CUSTOMER_ID), "left");
    }
    if (in.customers().isPresent()) {
      out =
          out.join(
              attributes(in.customers().get(), asOf, ageBands), JoinKeys.of(CUSTOMER_ID), "left");
    }
    List<Column> columns = new ArrayList<>();
    columns.add(col(CUSTOMER_ID));
    Arrays.stream(out.columns())
        .filter(c -> !c.equals(CUSTOMER_ID) && !List.of(ATTRIBUTES).contains(c))
        .forEach(c -> columns.add(col(c)));
    Arrays.stream(ATTRIBUTES)
        .filter(Arrays.asList(out.columns())::contains)
        .forEach(a -> columns.add(col(a)));
    return out.select(columns.toArray(Column[]::new));
  }

  /**
   * The band of an age in years, by ascending upper bounds: [25, 35] gives "under 25", "25-34" and
   * "35 and over".
   */
  static Column ageBand(Column years, List<Integer> bounds) {
    Column band = lit(bounds.get(bounds.size() - 1) + " and over");
    for (int i = bounds.size() - 1; i >= 0; i--) {
      String label =
          i == 0 ? "under " + bounds.get(0) : bounds.get(i - 1) + "-" + (bounds.get(i) - 1);
      band = when(years.lt(bounds.get(i)), lit(label)).otherwise(band);
    }
    return when(years.isNotNull(), band);
  }

  private static Dataset<Row> select(Dataset<Row> table, List<String> columns) {
    List<Column> out = new ArrayList<>(List.of(col(CUSTOMER_ID)));
    columns.stream().filter(c -> !c.equals(CUSTOMER_ID)).forEach(c -> out.add(col(c)));
    return table.select(out.toArray(Column[]::new));
  }

  /** One row per customer of the customers table with the attributes (null when unknown). */
  private static Dataset<Row> attributes(Dataset<Row> c, LocalDate asOf, List<Integer> ageBands) {
    List<String> present = Arrays.asList(c.columns());
    Column years =
        floor(months_between(lit(Date.valueOf(asOf)), col(BIRTH_DATE)).divide(12)).cast("int");
    List<Column> out = new ArrayList<>(List.of(col(CUSTOMER_ID)));
    for (String a : ATTRIBUTES) {
      Column value =
          a.equals(AGE_BAND)
              ? present.contains(BIRTH_DATE) ? ageBand(years, ageBands) : lit(null)
              : present.contains(a) ? col(a) : lit(null);
      out.add(value.cast("string").as(a));
    }
    return c.select(out.toArray(Column[]::new));
  }
}
