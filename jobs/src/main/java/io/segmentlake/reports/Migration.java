package io.segmentlake.reports;

import static io.segmentlake.reports.ReportColumns.CUSTOMERS;
import static io.segmentlake.reports.ReportColumns.CUSTOMER_ID;
import static io.segmentlake.reports.ReportColumns.DIMENSION;
import static io.segmentlake.reports.ReportColumns.FROM_VALUE;
import static io.segmentlake.reports.ReportColumns.GONE;
import static io.segmentlake.reports.ReportColumns.NEW;
import static io.segmentlake.reports.ReportColumns.RFM_SEGMENT;
import static io.segmentlake.reports.ReportColumns.TIER;
import static io.segmentlake.reports.ReportColumns.TO_VALUE;
import static io.segmentlake.reports.ReportColumns.UNKNOWN;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JoinKeys;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * segment_migration: how many customers moved from each RFM segment and tier of the previous run's
 * customer_segments to each of this run's (staying put included, so that every from row adds up). A
 * customer the previous run did not have comes from "(new)"; one this run no longer has goes to
 * "(gone)"; on a first run every customer comes from "(new)".
 */
final class Migration {
  private static final String PREVIOUS = "_previous_";
  private static final String IN_PREVIOUS = "_in_previous";
  private static final String IN_CURRENT = "_in_current";

  private Migration() {}

  /**
   * The migration table (tiers too when this run has them); previous is the latest earlier
   * customer_segments with its date.
   */
  static Dataset<Row> table(
      Dataset<Row> segments,
      Optional<Map.Entry<LocalDate, Dataset<Row>>> previous,
      boolean withTiers) {
    List<String> dimensions = withTiers ? List.of(RFM_SEGMENT, TIER) : List.of(RFM_SEGMENT);
    List<Column> current = new ArrayList<>(List.of(col(CUSTOMER_ID), lit(true).as(IN_CURRENT)));
    dimensions.forEach(d -> current.add(col(d)));
    Dataset<Row> joined = segments.select(current.toArray(Column[]::new));
    if (previous.isPresent()) {
      Dataset<Row> p = previous.get().getValue();
      List<String> had = Arrays.asList(p.columns());
      List<Column> before = new ArrayList<>(List.of(col(CUSTOMER_ID), lit(true).as(IN_PREVIOUS)));
      dimensions.forEach(
          d -> before.add((had.contains(d) ? col(d) : lit(null).cast("string")).as(PREVIOUS + d)));
      joined =
          joined.join(
              p.select(before.toArray(Column[]::new)), JoinKeys.of(CUSTOMER_ID), "full_outer");
    } else {
      joined = joined.withColumn(IN_PREVIOUS, lit(null).cast("boolean"));
      for (String d : dimensions) {
        joined = joined.withColumn(PREVIOUS + d, lit(null).cast("string"));
      }
    }
    Column[] moves =
        dimensions.stream()
            .map(
                d ->
                    struct(
                        lit(d).as(DIMENSION),
                        when(col(IN_PREVIOUS).isNull(), lit(NEW))
                            .otherwise(coalesce(col(PREVIOUS + d), lit(UNKNOWN)))
                            .as(FROM_VALUE),
                        when(col(IN_CURRENT).isNull(), lit(GONE))
                            .otherwise(coalesce(col(d), lit(UNKNOWN)))
                            .as(TO_VALUE)))
            .toArray(Column[]::new);
    Column previousDate =
        previous.map(e -> lit(Date.valueOf(e.getKey()))).orElse(lit(null)).cast("date");
    return joined
        .select(explode(array(moves)).as("_move"))
        .select(
            col("_move." + DIMENSION).as(DIMENSION),
            col("_move." + FROM_VALUE).as(FROM_VALUE),
            col("_move." + TO_VALUE).as(TO_VALUE))
        .groupBy(DIMENSION, FROM_VALUE, TO_VALUE)
        .agg(count(lit(1)).as(CUSTOMERS))
        .withColumn(
            "share_of_from",
            Rollups.ratio(
                col(CUSTOMERS),
                sum(col(CUSTOMERS)).over(Window.partitionBy(DIMENSION, FROM_VALUE))))
        .withColumn("moved", col(FROM_VALUE).notEqual(col(TO_VALUE)))
        .withColumn("previous_as_of_date", previousDate)
        .orderBy(DIMENSION, FROM_VALUE, TO_VALUE);
  }
}
