package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;

import io.segmentlake.JobFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What happened to the rows of one input table: read = used + excluded + quarantined. Of the
 * excluded rows, `unchecked` were excluded before any rule checked them (see {@link
 * #plusUnchecked}).
 */
public record RowCounts(
    String table,
    long read,
    long used,
    Map<String, Long> excluded,
    Map<String, Long> quarantined,
    long unchecked) {

  /** Counts where every row read was checked. */
  public RowCounts(
      String table,
      long read,
      long used,
      Map<String, Long> excluded,
      Map<String, Long> quarantined) {
    this(table, read, used, excluded, quarantined, 0);
  }

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

  /**
   * The counts with rows more read and excluded for the reason without being checked by the rules
   * (none added when 0): they count in read, not in the quality gate's share.
   */
  public RowCounts plusUnchecked(String reason, long rows) {
    if (rows == 0) {
      return this;
    }
    Map<String, Long> more = new TreeMap<>(excluded);
    more.merge(reason, rows, Long::sum);
    return new RowCounts(table, read + rows, used, more, quarantined, unchecked + rows);
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
   * Fails the run (exit 3) when the quarantined share of the rows checked exceeds the limit (rows
   * excluded unchecked, such as interactions before the loyalty points window, do not dilute it).
   */
  public void checkGate(double maxQuarantinedRatio, String where) {
    long checked = read - unchecked;
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
