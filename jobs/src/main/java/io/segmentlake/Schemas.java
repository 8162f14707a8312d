package io.segmentlake;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Checks a transformation's input columns before any work, naming the missing ones. */
public final class Schemas {
  private Schemas() {}

  /** Throws IllegalArgumentException naming the missing columns and the columns found. */
  public static void require(Dataset<Row> input, String what, String... columns) {
    Set<String> present = Set.of(input.columns());
    List<String> missing = Arrays.stream(columns).filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          what + ": missing columns " + missing + "; found " + Arrays.toString(input.columns()));
    }
  }
}
