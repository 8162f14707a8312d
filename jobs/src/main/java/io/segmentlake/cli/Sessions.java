package io.segmentlake.cli;

import io.segmentlake.config.S3Settings;
import io.segmentlake.config.Settings;
import org.apache.spark.sql.SparkSession;

/** Opens the Spark session a command runs in. */
final class Sessions {
  private Sessions() {}

  /**
   * A session in the configured time zone that writes BI-readable Parquet. The configured master
   * applies only outside spark-submit, which sets spark.master itself; so does the Spark UI being
   * off (starting it costs about half a second of a local batch run; spark.conf can turn it on).
   */
  static SparkSession open(Settings settings) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(settings.spark().appName())
            .config("spark.sql.session.timeZone", settings.timeZone().getId())
            .config("spark.sql.shuffle.partitions", settings.spark().shufflePartitions())
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.ui.showConsoleProgress", "false")
            // The classified input is cached once per run and read three times; compressing the
            // cache cost more (~7 s per 10 M lines) than the memory it saves (it spills to disk).
            .config("spark.sql.inMemoryColumnarStorage.compressed", "false")
            // The classified input is cached sorted by customer and invoice (the duplicate check
            // sorts it so): per-customer and per-invoice aggregates then stream over it instead of
            // building hash maps of every customer (-30 % on the loyalty aggregates).
            .config("spark.sql.execution.replaceHashWithSortAgg", "true")
            // HotSpot does not JIT-compile a method of more than 8,000 bytes of bytecode: a larger
            // generated whole-stage function would run interpreted (serializing the loyalty
            // stage's per-customer rows, 33 columns, took 3x longer so). Spark then falls back to
            // split functions, as its documentation recommends for HotSpot.
            .config("spark.sql.codegen.hugeMethodLimit", "8000");
    if (System.getProperty("spark.master") == null) {
      builder.master(settings.spark().master()).config("spark.ui.enabled", "false");
    }
    settings.spark().conf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // On the live Hadoop configuration, so that they hold for a session that already existed too.
    settings.s3().hadoopConf().forEach(spark.sparkContext().hadoopConfiguration()::set);
    // Table writes to s3a go through the zero-rename S3A committer; other file systems keep the
    // classic one (the binding chooses per path).
    if (hasCloudCommitters()) {
      S3Settings.committerSqlConf().forEach(spark.conf()::set);
    }
    return spark;
  }

  private static boolean hasCloudCommitters() {
    try {
      Class.forName("org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
