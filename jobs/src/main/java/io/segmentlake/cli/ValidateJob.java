package io.segmentlake.cli;

import io.segmentlake.config.Settings;
import io.segmentlake.config.TableSource;
import io.segmentlake.lake.LakeReader;
import io.segmentlake.quality.Conformer;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** `validate`: checks config and inputs and prints the data-quality report, writing nothing. */
final class ValidateJob {
  private ValidateJob() {}

  static int run(Settings settings, LocalDate asOf) {
    Progress progress = new Progress();
    SparkSession spark = Sessions.open(settings);
    LakeReader reader = new LakeReader(spark);
    for (String table : List.of("products", "customers", "interactions")) {
      TableSource source = settings.inputs().get(table);
      reader
          .optional(source)
          .ifPresentOrElse(
              rows -> {
                long n = Conformer.conform(rows, source).count();
                Progress.log(
                    source.describe() + ": " + Progress.n(n) + " rows, contract columns ok");
              },
              () ->
                  Progress.log(
                      source.describe() + ": absent (optional; features using it are skipped)"));
    }
    Ingest ingest = Ingest.invoices(spark, settings, asOf, progress);
    Progress.log("invoices excluded by reason: " + ingest.counts().excluded());
    Progress.log("invoices quarantined by reason: " + ingest.counts().quarantined());
    ingest.checkGate(settings);
    Progress.log("validate: ok for as-of " + asOf + " (nothing written)");
    return 0;
  }
}
