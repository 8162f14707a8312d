package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Object storage through s3a: endpoint, addressing, region and the committer for table writes. */
public record S3Settings(
    Optional<String> endpoint,
    Optional<String> region,
    boolean pathStyleAccess,
    Committer committer) {

  /** The S3A committers that write without renaming (see hadoop-aws's committer documentation). */
  public enum Committer {
    MAGIC,
    DIRECTORY,
    PARTITIONED
  }

  /**
   * The only credential source: the AWS SDK's default chain (environment, system properties,
   * profile, container and instance roles). Keys in configuration are refused by the loader.
   */
  public static final String CREDENTIALS_PROVIDER =
      "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

  /** Reads segmentlake.s3. */
  static S3Settings from(Config c) {
    return new S3Settings(
        Keys.optionalString(c, "segmentlake.s3.endpoint"),
        Keys.optionalString(c, "segmentlake.s3.region"),
        Keys.bool(c, "segmentlake.s3.path-style-access"),
        Keys.oneOf(c, "segmentlake.s3.committer", Committer.class));
  }

  /** Hadoop settings for the s3a file system (without the spark.hadoop. prefix). */
  public Map<String, String> hadoopConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("fs.s3a.aws.credentials.provider", CREDENTIALS_PROVIDER);
    endpoint.ifPresent(
        e -> {
          conf.put("fs.s3a.endpoint", e);
          conf.put("fs.s3a.connection.ssl.enabled", String.valueOf(e.startsWith("https:")));
        });
    region.ifPresent(r -> conf.put("fs.s3a.endpoint.region", r));
    conf.put("fs.s3a.path.style.access", String.valueOf(pathStyleAccess));
    conf.put("fs.s3a.committer.name", committer.name().toLowerCase(java.util.Locale.ROOT));
    conf.put("fs.s3a.committer.magic.enabled", "true");
    // Fail within seconds, not minutes, when the store is unreachable (the run then exits 4 or 3).
    conf.put("fs.s3a.attempts.maximum", "3");
    conf.put("fs.s3a.retry.limit", "3");
    conf.put("fs.s3a.retry.interval", "500ms");
    conf.put("fs.s3a.connection.establish.timeout", "5s");
    conf.put("fs.s3a.connection.timeout", "30s");
    return conf;
  }

  /**
   * Spark SQL settings that route table writes through the S3A committer (needs the two binding
   * classes of spark-hadoop-cloud, which the jar ships). Other file systems keep their own
   * committer: the binding falls back to the classic one for them.
   */
  public static Map<String, String> committerSqlConf() {
    return Map.of(
        "spark.sql.sources.commitProtocolClass",
        "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol",
        "spark.sql.parquet.output.committer.class",
        "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter");
  }
}
