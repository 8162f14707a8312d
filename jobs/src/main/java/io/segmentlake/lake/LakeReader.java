package io.segmentlake.lake;

import io.segmentlake.JobFailure;
import io.segmentlake.config.TableSource;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads input tables from the lake (local paths, s3a://, hdfs://; globs allowed). */
public final class LakeReader {
  private final SparkSession spark;

  /** A reader on the session's Hadoop configuration. */
  public LakeReader(SparkSession spark) {
    this.spark = spark;
  }

  /** Reads a required table; fails with exit 3 naming the table and path when absent or empty. */
  public Dataset<Row> required(TableSource source) {
    Dataset<Row> rows =
        optional(source)
            .orElseThrow(
                () ->
                    JobFailure.inputRejected(
                        source.describe() + ": not found (expected a folder or files)"));
    if (rows.isEmpty()) {
      throw JobFailure.inputRejected(source.describe() + ": no rows");
    }
    return rows;
  }

  /** Reads an optional table, or nothing when its path does not exist. */
  public Optional<Dataset<Row>> optional(TableSource source) {
    if (!exists(source)) {
      return Optional.empty();
    }
    Map<String, String> options = new HashMap<>();
    if (source.format() == TableSource.Format.CSV) {
      options.put("header", "true");
    }
    options.putAll(source.options());
    try {
      return Optional.of(
          spark.read().format(source.format().sparkName()).options(options).load(source.path()));
    } catch (Exception e) {
      throw JobFailure.inputRejected(
          source.describe()
              + ": cannot be read as "
              + source.format().sparkName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private boolean exists(TableSource source) {
    Path path = new Path(source.path());
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(path);
      return matches != null && matches.length > 0;
    } catch (IOException e) {
      throw JobFailure.inputRejected(
          source.describe() + ": cannot be listed: " + e.getMessage(), e);
    }
  }
}
