package io.segmentlake.cli;

import io.segmentlake.config.Settings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** `validate`: checks config and inputs and prints the data-quality report, writing nothing. */
final class ValidateJob {
  private ValidateJob() {}

  static int run(Settings settings, LocalDate asOf) {
    Progress progress = new Progress();
    SparkSession spark = Sessions.open(settings);
    List<Ingest> tables =
        new ArrayList<>(List.of(Ingest.invoices(spark, settings, asOf, progress)));
    for (String table : List.of("products", "customers", "interactions")) {
      Optional<Ingest> in = Ingest.optional(spark, settings, table, asOf, progress);
      in.ifPresent(tables::add);
    }
    for (Ingest in : tables) {
      String table = in.source().table();
      Progress.log(table + " excluded by reason: " + in.counts().excluded());
      Progress.log(table + " quarantined by reason: " + in.counts().quarantined());
    }
    tables.forEach(in -> in.checkGate(settings));
    Progress.log("validate: ok for as-of " + asOf + " (nothing written)");
    return 0;
  }
}
