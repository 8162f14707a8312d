package io.segmentlake.lake;

import io.segmentlake.JobFailure;
import io.segmentlake.config.TableSource;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads input tables from the lake (local paths, s3a://, hdfs://; globs allowed), and the published
 * partitions of output tables that a later stage or run builds on.
 */
public final class LakeReader {
  private static final String PARTITION = "as_of_date=";

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

  /** The partition of an output table for a date, when it has been published. */
  public Optional<Dataset<Row>> partition(String outputRoot, String table, LocalDate date) {
    Path path = new Path(outputRoot, table + "/" + PARTITION + date);
    return dates(outputRoot, table).contains(date)
        ? Optional.of(spark.read().parquet(path.toString()))
        : Optional.empty();
  }

  /**
   * The latest partition of an output table dated before a date whose run was published (its run
   * marker exists), with its date. A date whose first run stopped before its marker is passed over,
   * as orchestrators and our notebooks pass it over.
   */
  public Optional<Map.Entry<LocalDate, Dataset<Row>>> latestBefore(
      String outputRoot, String table, LocalDate date) {
    return dates(outputRoot, table).stream()
        .filter(d -> d.isBefore(date))
        .sorted(java.util.Comparator.reverseOrder())
        .filter(d -> published(outputRoot, d)) // newest first: one marker lookup, as a rule
        .findFirst()
        .map(d -> Map.entry(d, partition(outputRoot, table, d).orElseThrow()));
  }

  private boolean published(String outputRoot, LocalDate date) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path marker = new RunLog(hadoop, outputRoot, date).marker();
    try {
      return marker.getFileSystem(hadoop).exists(marker);
    } catch (IOException e) {
      throw JobFailure.inputRejected(
          "run marker " + marker + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The as_of_date partitions of an output table (none when the table does not exist). */
  private List<LocalDate> dates(String outputRoot, String table) {
    Path folder = new Path(outputRoot, table);
    try {
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(folder)) {
        return List.of();
      }
      List<LocalDate> dates = new ArrayList<>();
      for (FileStatus status : fs.listStatus(folder)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && name.startsWith(PARTITION)) {
          try {
            dates.add(LocalDate.parse(name.substring(PARTITION.length())));
          } catch (DateTimeParseException e) {
            // Not one of ours: partitions are written as as_of_date=YYYY-MM-DD.
          }
        }
      }
      return dates;
    } catch (IOException e) {
      throw JobFailure.inputRejected(
          "output table " + folder + ": cannot be listed: " + e.getMessage(), e);
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
