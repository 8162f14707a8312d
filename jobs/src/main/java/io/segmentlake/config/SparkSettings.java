package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.Map;

/** How the Spark session is opened. */
public record SparkSettings(
    String master, String appName, int shufflePartitions, Map<String, String> conf) {

  /** Reads segmentlake.spark. */
  static SparkSettings from(Config c) {
    return new SparkSettings(
        Keys.string(c, "segmentlake.spark.master"),
        Keys.string(c, "segmentlake.spark.app-name"),
        Keys.intIn(c, "segmentlake.spark.shuffle-partitions", 1, 100_000),
        Map.copyOf(Keys.stringMap(c, "segmentlake.spark.conf")));
  }
}
