package io.segmentlake.config;

import com.typesafe.config.Config;
import io.segmentlake.JobFailure;
import java.util.Map;

/** How the Spark session is opened. */
public record SparkSettings(
    String master, String appName, int shufflePartitions, Map<String, String> conf) {

  /**
   * Reads segmentlake.spark. The session's time zone is segmentlake.time-zone's alone: set in
   * spark.conf too, it would give the stages' calendar days another zone than the ingest's as-of
   * cut-off and loyalty window start, so it is refused there.
   */
  static SparkSettings from(Config c) {
    Map<String, String> conf = Keys.stringMap(c, "segmentlake.spark.conf");
    for (String key : conf.keySet()) {
      if (key.equalsIgnoreCase("spark.sql.session.timeZone")) {
        throw JobFailure.usage(
            "configuration key 'segmentlake.spark.conf.\""
                + key
                + "\"': set segmentlake.time-zone instead (the as-of cut-off, the loyalty"
                + " window and the stages' days use that one zone)");
      }
    }
    return new SparkSettings(
        Keys.string(c, "segmentlake.spark.master"),
        Keys.string(c, "segmentlake.spark.app-name"),
        Keys.intIn(c, "segmentlake.spark.shuffle-partitions", 1, 100_000),
        Map.copyOf(conf));
  }
}
