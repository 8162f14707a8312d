package io.segmentlake.lake;

import io.segmentlake.JobFailure;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
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
  private final long rowsPerFile;
  private final Path root;
  private final String partition;
  private final Path staging;
  private final Path trash;
  private final Map<String, Path> staged = new LinkedHashMap<>();

  /** A publisher for one run writing under the output root. */
  public Publisher(
      SparkSession spark, String outputRoot, long rowsPerFile, LocalDate asOf, String runId) {
    this.spark = spark;
    this.rowsPerFile = rowsPerFile;
    this.root = new Path(outputRoot);
    this.partition = "as_of_date=" + asOf;
    this.staging = new Path(root, "_staging/" + runId);
    this.trash = new Path(root, "_trash/" + runId);
  }

  /** A table to stage: its name, its rows (without as_of_date) and how many rows are expected. */
  public record Table(String name, Dataset<Row> rows, long expectedRows) {}

  /**
   * Writes a table's rows (without as_of_date) to staging, in about one file per {@code
   * rowsPerFile} of the expected rows; returns the rows and files written.
   */
  public Map<String, Long> stage(String table, Dataset<Row> rows, long expectedRows) {
    return stage(table, null, rows, expectedRows);
  }

  /**
   * Writes one sub-partition of a table's partition for the date (e.g. {@code
   * source_table=products} of the quarantine): publishing replaces that sub-partition only, so
   * commands that read different inputs do not remove each other's rows.
   */
  public Map<String, Long> stage(
      String table, String subPartition, Dataset<Row> rows, long expectedRows) {
    String relative = relative(table) + (subPartition == null ? "" : "/" + subPartition);
    Map<String, Long> written = write(table, relative, rows, expectedRows);
    staged.put(relative, new Path(staging, relative));
    return written;
  }

  /**
   * Writes the tables to staging at the same time, each from its own thread (a write job and a
   * count of what it wrote): a table of at most {@code rowsPerFile} expected rows is one file
   * written by one task, so writing the tables one after the other would leave the other cores
   * idle. Returns each table's rows and files written, by table in the given order. If writes fail,
   * the first failure (in that order, with the others suppressed in it) is thrown once every write
   * has ended, and none of the tables is staged. (If the calling thread is interrupted, it fails at
   * once; the writes under way may still finish into this run's staging folder, which is never
   * published.)
   */
  public Map<String, Map<String, Long>> stage(List<Table> tables) {
    Set<String> names = new HashSet<>();
    for (Table t : tables) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("table '" + t.name() + "' is staged twice");
      }
    }
    ExecutorService writers = Executors.newFixedThreadPool(Math.max(1, tables.size()));
    try {
      List<Future<Map<String, Long>>> writes = new ArrayList<>();
      for (Table t : tables) {
        writes.add(
            writers.submit(() -> write(t.name(), relative(t.name()), t.rows(), t.expectedRows())));
      }
      Map<String, Map<String, Long>> written = new LinkedHashMap<>();
      JobFailure failure = null;
      for (int i = 0; i < tables.size(); i++) {
        try {
          written.put(tables.get(i).name(), writes.get(i).get());
        } catch (ExecutionException e) {
          JobFailure f =
              e.getCause() instanceof JobFailure j
                  ? j
                  : JobFailure.publishFailed(
                      "could not write table '" + tables.get(i).name() + "': " + rootCause(e),
                      e.getCause());
          if (failure == null) {
            failure = f;
          } else {
            failure.addSuppressed(f);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      written.keySet().forEach(t -> staged.put(relative(t), new Path(staging, relative(t))));
      return written;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw JobFailure.publishFailed("interrupted while writing tables to " + staging, e);
    } finally {
      writers.shutdownNow();
    }
  }

  /** The table's partition for the date, relative to the output root and to staging. */
  private String relative(String table) {
    return table + "/" + partition;
  }

  /** Writes the rows to the folder under staging; returns the rows and files written. */
  private Map<String, Long> write(
      String table, String relative, Dataset<Row> rows, long expectedRows) {
    Path target = new Path(staging, relative);
    int files = (int) Math.max(1, Math.ceil((double) expectedRows / rowsPerFile));
    try {
      rows.coalesce(files).write().mode(SaveMode.Overwrite).parquet(target.toString());
      Dataset<Row> written = spark.read().parquet(target.toString());
      return Map.of("rows", written.count(), "files", (long) written.inputFiles().length);
    } catch (Exception e) {
      throw JobFailure.publishFailed(
          "could not write table '" + table + "' to " + target + ": " + rootCause(e), e);
    }
  }

  /** A table this run has staged for the date, read back from staging. */
  public Optional<Dataset<Row>> staged(String table) {
    return Optional.ofNullable(staged.get(relative(table)))
        .map(p -> spark.read().parquet(p.toString()));
  }

  /** Swaps every staged table's partition into place; on failure puts back what it moved. */
  public void commit() {
    List<String[]> done = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Map.Entry<String, Path> e : staged.entrySet()) {
        Path live = new Path(root, e.getKey());
        Path aside = new Path(trash, e.getKey());
        fs.mkdirs(live.getParent());
        fs.mkdirs(aside.getParent());
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
      for (Path run : List.of(staging, trash)) {
        fs.delete(run, true);
        FileStatus[] left = fs.exists(run.getParent()) ? fs.listStatus(run.getParent()) : null;
        if (left != null && left.length == 0) {
          fs.delete(run.getParent(), false);
        }
      }
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
