package io.segmentlake.reports;

import io.segmentlake.config.ReportSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The segment tables for BI, assembled from the stage tables of one as-of date: the wide
 * customer_segments, and segment_summary, segment_migration, sales_rep_performance and
 * channel_effectiveness aggregated from it. Only rfm_scores is required; the columns and dimensions
 * of a stage that has not run are left out, and the summary says which.
 */
public final class ReportsStage {
  private ReportsStage() {}

  /**
   * What the stage reads: the date's stage tables, the customers input and the latest earlier
   * customer_segments with its date.
   */
  public record Inputs(
      Dataset<Row> rfm,
      Optional<Dataset<Row>> loyalty,
      Optional<Dataset<Row>> clusters,
      Optional<Dataset<Row>> predictions,
      Optional<Dataset<Row>> customers,
      Optional<Map.Entry<LocalDate, Dataset<Row>>> previousSegments) {}

  /** The tables by name, the customers of customer_segments and the summary for the manifest. */
  public record Result(
      Map<String, Dataset<Row>> tables,
      long customers,
      List<String> sourcesMissing,
      Map<String, Object> summary,
      Runnable release) {}

  /**
   * Builds every segment table; predictionColumns are the score columns customer_segments takes
   * from customer_predictions (null when it is missing).
   */
  public static Result run(
      Inputs in, LocalDate asOf, ReportSettings s, StructType predictionColumns) {
    Dataset<Row> segments =
        CustomerSegments.build(in, asOf, s.ageBands(), predictionColumns)
            .persist(StorageLevel.MEMORY_AND_DISK());
    long customers = segments.count();
    Optional<Rollups.Clv> clv =
        in.predictions().isPresent() ? Rollups.Clv.of(segments) : Optional.empty();
    Map<String, String> dimensions = dimensions(in);
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put("customer_segments", segments);
    tables.put("segment_summary", Rollups.segmentSummary(segments, clv, dimensions));
    tables.put(
        "segment_migration",
        Migration.table(segments, in.previousSegments(), dimensions.containsKey("tier")));
    Map<String, String> leftOut = new LinkedHashMap<>();
    if (in.customers().isPresent()) {
      tables.put(
          "sales_rep_performance",
          Rollups.salesReps(
              segments, clv, s.championsSegment(), s.atRisk(), in.predictions().isPresent()));
      tables.put("channel_effectiveness", Channels.table(segments, clv));
    } else {
      leftOut.put("sales_rep_performance", "no customers input (sales_rep_id)");
      leftOut.put("channel_effectiveness", "no customers input (acquisition_channel)");
    }

    List<String> missing = missing(in);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("customers", customers);
    summary.put("sources_missing", missing);
    summary.put("tables_left_out", leftOut);
    summary.put(
        "previous_run_date", in.previousSegments().map(e -> e.getKey().toString()).orElse(null));
    summary.put("clv_horizon_days", clv.map(Rollups.Clv::days).orElse(null));
    return new Result(tables, customers, missing, summary, segments::unpersist);
  }

  /** The dimensions of segment_summary that the inputs give values for. */
  private static Map<String, String> dimensions(Inputs in) {
    Map<String, String> out = new LinkedHashMap<>(Rollups.DIMENSIONS);
    if (in.loyalty().isEmpty()) {
      out.remove("tier");
    }
    if (in.clusters().isEmpty()) {
      out.remove("cluster");
    }
    if (in.predictions().isEmpty()) {
      out.remove("churn_risk");
    }
    if (in.customers().isEmpty()) {
      out.remove("region");
      out.remove("customer_type");
    }
    return out;
  }

  /** The optional sources that are missing, by name. */
  private static List<String> missing(Inputs in) {
    Map<String, Optional<Dataset<Row>>> optional = new LinkedHashMap<>();
    optional.put("loyalty_points", in.loyalty());
    optional.put("customer_clusters", in.clusters());
    optional.put("customer_predictions", in.predictions());
    optional.put("customers (input)", in.customers());
    List<String> out = new ArrayList<>();
    optional.forEach(
        (name, t) -> {
          if (t.isEmpty()) {
            out.add(name);
          }
        });
    return out;
  }
}
