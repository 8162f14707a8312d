package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows of the quarantine table: reason and the raw row as JSON. The source table is the
 * partition column source_table (one sub-partition per input table and date).
 */
public final class Quarantine {
  private Quarantine() {}

  /** The sub-partition of the quarantine that holds a source table's rows. */
  public static String partitionOf(String table) {
    return "source_table=" + table;
  }

  /** The quarantined rows of a classified input table. */
  public static Dataset<Row> rows(Dataset<Row> classified) {
    return classified
        .where(col(InvoiceRules.ROW_STATUS).equalTo(InvoiceRules.QUARANTINED))
        .select(col(InvoiceRules.ROW_REASON).as("reason"), col(Conformer.RAW).as("raw_row"));
  }
}
