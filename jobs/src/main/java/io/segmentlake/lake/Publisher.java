package io.segmentlake.lake;

import io.segmentlake.JobFailure;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes a run's tables for one as-of date as a unit: each table is first written in full to a
 * staging folder; then each table's partition for the date is swapped in by directory rename (old
 * partition moved aside, new one moved in); the run marker is written last by {@link RunLog}.
 * Partitions of other dates are never touched, and a re-run of the same date replaces its own.
 */
public final class Publisher {
  private final SparkSession spark;
  private final Path root;
  private final String partition;
  private final Path staging;
  private final Path trash;
  private final Map<String, Path> staged = new LinkedHashMap<>();

  /** A publisher for one run writing under the output root. */
  public Publisher(SparkSession spark, String outputRoot, LocalDate asOf, String runId) {
    this.spark = spark;
    this.root = new Path(outputRoot);
    this.partition = "as_of_date=" + asOf;
    this.staging = new Path(root, "_staging/" + runId);
    this.trash = new Path(root, "_trash/" + runId);
  }

  /** Writes a table's rows (without as_of_date) to staging; returns rows and files written. */
  public Map<String, Long> stage(String table, Dataset<Row> rows) {
    Path target = new Path(staging, table + "/" + partition);
    try {
      rows.write().mode(SaveMode.Overwrite).parquet(target.toString());
      Dataset<Row> written = spark.read().parquet(target.toString());
      long files = List.of(written.inputFiles()).size();
      staged.put(table, target);
      return Map.of("rows", written.count(), "files", files);
    } catch (Exception e) {
      throw JobFailure.publishFailed(
          "could not write table '" + table + "' to " + target + ": " + rootCause(e), e);
    }
  }

  /** Swaps every staged table's partition into place; on failure puts back what it moved. */
  public void commit() {
    List<String[]> done = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Map.Entry<String, Path> e : staged.entrySet()) {
        Path live = new Path(root, e.getKey() + "/" + partition);
        Path aside = new Path(trash, e.getKey());
        fs.mkdirs(live.getParent());
        fs.mkdirs(trash);
        boolean hadLive = fs.exists(live) && rename(fs, live, aside);
        rename(fs, e.getValue(), live);
        done.add(new String[] {live.toString(), hadLive ? aside.toString() : null});
      }
    } catch (IOException | RuntimeException e) {
      rollback(done);
      throw JobFailure.publishFailed("could not publish under " + root + ": " + rootCause(e), e);
    }
  }

  /** Removes the staging and trash folders of this run (after the marker is written). */
  public void cleanUp() {
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(staging, true);
      fs.delete(trash, true);
    } catch (IOException e) {
      // Leftover staging folders are harmless: readers go by table folders and run markers.
    }
  }

  private void rollback(List<String[]> done) {
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String[] swap : done) {
        fs.delete(new Path(swap[0]), true);
        if (swap[1] != null) {
          fs.rename(new Path(swap[1]), new Path(swap[0]));
        }
      }
    } catch (IOException e) {
      // The original failure is what the caller reports; the old partitions stay in _trash.
    }
  }

  private static boolean rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
    return true;
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
