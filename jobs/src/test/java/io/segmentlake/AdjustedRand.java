package io.segmentlake;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The adjusted Rand index of two labelings (1 = identical partitions, about 0 = chance), from the
 * contingency table Spark counts.
 */
public final class AdjustedRand {
  private AdjustedRand() {}

  /** ARI of the labels in columns a and b of the rows. */
  public static double of(Dataset<Row> rows, String a, String b) {
    Map<Object, Long> byA = new HashMap<>();
    Map<Object, Long> byB = new HashMap<>();
    double pairs = 0;
    long n = 0;
    for (Row r : rows.groupBy(col(a), col(b)).count().collectAsList()) {
      long c = r.getLong(2);
      pairs += choose2(c);
      byA.merge(r.get(0), c, Long::sum);
      byB.merge(r.get(1), c, Long::sum);
      n += c;
    }
    double sumA = byA.values().stream().mapToDouble(AdjustedRand::choose2).sum();
    double sumB = byB.values().stream().mapToDouble(AdjustedRand::choose2).sum();
    double expected = sumA * sumB / choose2(n);
    return (pairs - expected) / ((sumA + sumB) / 2 - expected);
  }

  private static double choose2(long x) {
    return x * (x - 1) / 2.0;
  }
}
