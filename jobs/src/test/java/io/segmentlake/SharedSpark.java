package io.segmentlake;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the test JVM (starting Spark costs seconds, so never per test),
 * with spark-testing-base's DataFrame assertions by composition.
 */
public final class SharedSpark extends JavaDataFrameSuiteBase {
  private static SharedSpark instance;

  /** The shared suite base, created and started on first use. */
  public static synchronized SharedSpark base() {
    if (instance == null) {
      instance = new SharedSpark();
      instance.runBefore();
    }
    return instance;
  }

  /** The shared session, reset to UTC. */
  public static SparkSession session() {
    SparkSession spark = base().spark();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    return spark;
  }

  @Override
  public SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2]")
        .setAppName("segmentlake-tests")
        .set("spark.ui.enabled", "false")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
  }

  @Override
  public boolean enableHiveSupport() {
    return false;
  }
}
