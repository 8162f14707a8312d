package io.segmentlake.cli;

import io.segmentlake.config.GenerateSettings;
import io.segmentlake.config.Settings;
import io.segmentlake.generate.LakeGenerator;
import io.segmentlake.lake.LakeWriter;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** `generate`: writes a synthetic lake with all four input tables. */
final class GenerateJob {
  private GenerateJob() {}

  static int run(Settings settings) {
    Progress progress = new Progress();
    GenerateSettings g = settings.generate();
    SparkSession spark = Sessions.open(settings);
    LakeGenerator.GeneratedLake lake =
        LakeGenerator.generate(spark, g.customers(), g.seed(), g.endDate(), g.years());
    Map<String, Dataset<Row>> tables =
        Map.of(
            "products", lake.products(),
            "customers", lake.customers(),
            "interactions", lake.interactions(),
            "invoices", lake.invoices());
    for (String table : Settings.INPUT_TABLES) {
      progress.start();
      String path = g.out().replaceAll("/+$", "") + "/" + table;
      LakeWriter.replace(tables.get(table), path);
      progress.done("generate", table + " -> " + path);
    }
    return 0;
  }
}
