package io.segmentlake.lake;

import io.segmentlake.JobFailure;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Writes whole input tables, as `generate` does (outputs go through {@link Publisher}). */
public final class LakeWriter {
  private LakeWriter() {}

  /** Replaces the table at the path with the rows, as Parquet. */
  public static void replace(Dataset<Row> rows, String path) {
    try {
      rows.write().mode(SaveMode.Overwrite).parquet(path);
    } catch (Exception e) {
      throw JobFailure.publishFailed("could not write " + path + ": " + Publisher.rootCause(e), e);
    }
  }
}
