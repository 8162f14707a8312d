package io.segmentlake.cli;

import io.segmentlake.config.Settings;
import org.apache.spark.sql.SparkSession;

/** Opens the Spark session a command runs in. */
final class Sessions {
  private Sessions() {}

  /**
   * A session in the configured time zone that writes BI-readable Parquet. The configured master
   * applies only outside spark-submit, which sets spark.master itself.
   */
  static SparkSession open(Settings settings) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(settings.spark().appName())
            .config("spark.sql.session.timeZone", settings.timeZone().getId())
            .config("spark.sql.shuffle.partitions", settings.spark().shufflePartitions())
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.ui.showConsoleProgress", "false");
    if (System.getProperty("spark.master") == null) {
      builder.master(settings.spark().master());
    }
    settings.spark().conf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
