package io.segmentlake.cli;

import static org.apache.spark.sql.functions.col;

import io.segmentlake.config.InteractionRule;
import io.segmentlake.config.Settings;
import io.segmentlake.config.TableSource;
import io.segmentlake.lake.LakeReader;
import io.segmentlake.quality.Conformer;
import io.segmentlake.quality.InvoiceRules;
import io.segmentlake.quality.Quarantine;
import io.segmentlake.quality.ReferenceRules;
import io.segmentlake.quality.RowCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads an input table, conforms it to the contract and classifies every row. The classified rows
 * are cached: the counts and the stages read them, so the input is read, parsed and de-duplicated
 * once. The quarantined rows are cached on their own, so that the classified rows can be freed as
 * soon as the last stage that reads the table is done (releaseRows), and the quarantine is still
 * written at the end of the run; release() frees both.
 */
record Ingest(
    TableSource source, Dataset<Row> classified, RowCounts counts, Dataset<Row> quarantined) {

  /** The first instant after the as-of date in the configured zone: later events are ignored. */
  static Instant cutoff(Settings settings, LocalDate asOf) {
    return asOf.plusDays(1).atStartOfDay(settings.timeZone()).toInstant();
  }

  /**
   * The first instant of the loyalty points window in the configured zone: the start of its first
   * day (the window's last day is the as-of date).
   */
  static Instant windowStart(Settings settings, LocalDate asOf) {
    return asOf.minusDays(settings.loyalty().windowDays() - 1L)
        .atStartOfDay(settings.timeZone())
        .toInstant();
  }

  /** Reads and classifies the invoices and counts rows by outcome (one pass over the input). */
  static Ingest invoices(SparkSession spark, Settings settings, LocalDate asOf, Progress progress) {
    progress.start();
    TableSource source = settings.inputs().get("invoices");
    Dataset<Row> raw = new LakeReader(spark).required(source);
    return classify(
        source,
        raw,
        Optional.empty(),
        conformed -> InvoiceRules.classify(conformed, cutoff(settings, asOf), settings.quality()),
        progress);
  }

  /**
   * Reads and classifies an optional table, or says that it is absent. Interactions that the
   * loyalty points cannot count (before the points window, or of an event type no rule counts) are
   * only counted ({@link ReferenceRules#leftOut}).
   */
  static Optional<Ingest> optional(
      SparkSession spark, Settings settings, String table, LocalDate asOf, Progress progress) {
    progress.start();
    TableSource source = settings.inputs().get(table);
    Optional<Dataset<Row>> raw = new LakeReader(spark).optional(source);
    if (raw.isEmpty()) {
      Progress.log(source.describe() + ": absent (optional; the rules that need it are skipped)");
      return Optional.empty();
    }
    return Optional.of(
        classify(
            source,
            raw.get(),
            table.equals("interactions")
                ? Optional.of(
                    ReferenceRules.leftOut(
                        windowStart(settings, asOf),
                        InteractionRule.interactionTypes(settings.loyalty().interactions())))
                : Optional.empty(),
            conformed ->
                ReferenceRules.classify(table, conformed, cutoff(settings, asOf))
                    // Event ids only identify repeats (a repeat's raw row keeps its id); the
                    // stages do not read them, so they are not cached.
                    .drop("event_id"),
            progress));
  }

  /**
   * Conforms and classifies the rows (when given a reason to leave rows out, the rows it gives a
   * reason are excluded without a check: a second job that reads only the columns the reason reads
   * counts them by reason), caches them and counts them by outcome.
   */
  private static Ingest classify(
      TableSource source,
      Dataset<Row> raw,
      Optional<Column> leftOut,
      UnaryOperator<Dataset<Row>> rules,
      Progress progress) {
    Dataset<Row> conformed = Conformer.conform(raw, source);
    Dataset<Row> kept = leftOut.map(r -> conformed.where(r.isNull())).orElse(conformed);
    Dataset<Row> classified = rules.apply(kept).persist(StorageLevel.MEMORY_AND_DISK());
    RowCounts counts = RowCounts.of(source.table(), classified);
    if (leftOut.isPresent()) {
      for (Row r :
          conformed
              .select(leftOut.get().as("reason"))
              .where(col("reason").isNotNull())
              .groupBy(col("reason"))
              .count()
              .collectAsList()) {
        counts = counts.plusUnchecked(r.getString(0), r.getLong(1));
      }
    }
    Dataset<Row> quarantined = Quarantine.rows(classified).persist(StorageLevel.MEMORY_AND_DISK());
    // Filled now, while the classified rows are cached: they may be freed before it is written.
    quarantined.count();
    progress.done(
        "ingest",
        String.format(
            "%s: %s rows read, %s used, %s excluded, %s quarantined",
            source.describe(),
            Progress.n(counts.read()),
            Progress.n(counts.used()),
            Progress.n(counts.excludedTotal()),
            Progress.n(counts.quarantinedTotal())));
    return new Ingest(source, classified, counts, quarantined);
  }

  /** The rows the stages use. */
  Dataset<Row> used() {
    return classified.where(classified.col(InvoiceRules.ROW_STATUS).equalTo(InvoiceRules.USED));
  }

  /** Frees the classified rows; the stages must be done with the table. */
  void releaseRows() {
    classified.unpersist();
  }

  /** Frees the classified and the quarantined rows. */
  void release() {
    classified.unpersist();
    quarantined.unpersist();
  }

  /** Applies the quality gate (exit 3 when exceeded). */
  void checkGate(Settings settings) {
    counts.checkGate(settings.quality().maxQuarantinedRatio(), source.describe());
  }
}
