package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;

import io.segmentlake.JobFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What happened to the rows of one input table: read = used + excluded + quarantined. */
public record RowCounts(
    String table, long read, long used, Map<String, Long> excluded, Map<String, Long> quarantined) {

  /** Counts a classified table by status and reason (one small aggregate on the driver). */
  public static RowCounts of(String table, Dataset<Row> classified) {
    long used = 0;
    Map<String, Long> excluded = new TreeMap<>();
    Map<String, Long> quarantined = new TreeMap<>();
    for (Row row :
        classified
            .groupBy(col(InvoiceRules.ROW_STATUS), col(InvoiceRules.ROW_REASON))
            .count()
            .collectAsList()) {
      byte status = row.getByte(0);
      long n = row.getLong(2);
      switch (status) {
        case InvoiceRules.USED -> used += n;
        case InvoiceRules.EXCLUDED -> excluded.merge(row.getString(1), n, Long::sum);
        default -> quarantined.merge(row.getString(1), n, Long::sum);
      }
    }
    long read = used + total(excluded) + total(quarantined);
    return new RowCounts(table, read, used, excluded, quarantined);
  }

  /** The counts with rows more read and excluded for the reason (none added when 0). */
  public RowCounts plusExcluded(String reason, long rows) {
    if (rows == 0) {
      return this;
    }
    Map<String, Long> more = new TreeMap<>(excluded);
    more.merge(reason, rows, Long::sum);
    return new RowCounts(table, read + rows, used, more, quarantined);
  }

  /** Rows quarantined for any reason. */
  public long quarantinedTotal() {
    return total(quarantined);
  }

  /** Rows excluded by any rule. */
  public long excludedTotal() {
    return total(excluded);
  }

  /**
   * Fails the run (exit 3) when the quarantined share of the rows checked exceeds the limit. Rows
   * before the loyalty points window are not checked ({@link ReferenceRules#notBefore}), so they do
   * not dilute the share.
   */
  public void checkGate(double maxQuarantinedRatio, String where) {
    long checked = read - excluded.getOrDefault(ReferenceRules.BEFORE_WINDOW, 0L);
    if (checked == 0) {
      return;
    }
    double ratio = (double) quarantinedTotal() / checked;
    if (ratio > maxQuarantinedRatio) {
      throw JobFailure.inputRejected(
          String.format(
              "%s: quality gate failed: %d of %d rows checked quarantined (%.2f%%), above"
                  + " segmentlake.quality.max-quarantined-ratio = %s; by reason %s",
              where, quarantinedTotal(), checked, 100.0 * ratio, maxQuarantinedRatio, quarantined));
    }
  }

  /** The counts as a JSON-ready map for the manifest. */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read", read);
    m.put("used", used);
    m.put("excluded", excludedTotal());
    m.put("excluded_by_reason", excluded);
    m.put("quarantined", quarantinedTotal());
    m.put("quarantined_by_reason", quarantined);
    return m;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
