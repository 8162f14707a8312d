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
import io.segmentlake.Schemas;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * customer_segments, the wide BI table: one row per customer of rfm_scores or loyalty_points with
 * the RFM values, scores and segment, the loyalty points, tier and special groups, the cluster, the
 * predictions, and the customer attributes to slice by. The schema is the same whichever stages ran
 * (a reader of several dates, or a catalog table, sees one schema): what a stage or input that is
 * missing would add is null.
 */
final class CustomerSegments {
  static final StructType RFM =
      StructType.fromDDL(
          "recency_days int, frequency bigint, monetary decimal(18,2), r_score int, f_score int,"
              + " m_score int, rfm_cell string, rfm_segment string, first_purchase_date date,"
              + " last_purchase_date date");

  static final StructType LOYALTY =
      StructType.fromDDL(
          "points decimal(18,2), tier string, previous_tier string, tier_change string,"
              + " points_to_next_tier decimal(18,2), special_groups array<string>");

  static final StructType CLUSTERS = StructType.fromDDL("cluster_id int, cluster_name string");

  private CustomerSegments() {}

  /** The wide table; predictions are the score columns that customer_predictions contributes. */
  static Dataset<Row> build(
      ReportsStage.Inputs in, LocalDate asOf, List<Integer> ageBands, StructType predictions) {
    Schemas.require(in.rfm(), "rfm_scores", RFM.fieldNames());
    Dataset<Row> out = pick(in.rfm(), RFM);
    if (in.loyalty().isPresent()) {
      out = out.join(pick(in.loyalty().get(), LOYALTY), JoinKeys.of(CUSTOMER_ID), "full_outer");
    }
    if (in.clusters().isPresent()) {
      out = out.join(pick(in.clusters().get(), CLUSTERS), JoinKeys.of(CUSTOMER_ID), "left");
    }
    if (in.predictions().isPresent()) {
      out = out.join(pick(in.predictions().get(), predictions), JoinKeys.of(CUSTOMER_ID), "left");
    }
    if (in.customers().isPresent()) {
      out =
          out.join(
              attributes(in.customers().get(), asOf, ageBands), JoinKeys.of(CUSTOMER_ID), "left");
    }
    StructType attributes = new StructType();
    for (String a : ATTRIBUTES) {
      attributes = attributes.add(a, DataTypes.StringType);
    }
    List<Column> columns = new ArrayList<>(List.of(col(CUSTOMER_ID)));
    List<String> joined = Arrays.asList(out.columns());
    for (StructType part : List.of(RFM, LOYALTY, CLUSTERS, predictions, attributes)) {
      for (StructField f : part.fields()) {
        columns.add(
            joined.contains(f.name()) ? col(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
      }
    }
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

  /** customer_id and the fields, cast to their types (null when the table lacks one). */
  private static Dataset<Row> pick(Dataset<Row> table, StructType fields) {
    List<String> present = Arrays.asList(table.columns());
    List<Column> out = new ArrayList<>(List.of(col(CUSTOMER_ID)));
    for (StructField f : fields.fields()) {
      Column c = present.contains(f.name()) ? col(f.name()) : lit(null);
      out.add(c.cast(f.dataType()).as(f.name()));
    }
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
