package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The rows of the quarantine table: source table, reason and the raw row as JSON. */
public final class Quarantine {
  private Quarantine() {}

  /** The quarantined rows of a classified input table. */
  public static Dataset<Row> rows(Dataset<Row> classified, String table) {
    return classified
        .where(col(InvoiceRules.ROW_STATUS).equalTo(InvoiceRules.QUARANTINED))
        .select(
            lit(table).as("source_table"),
            col(InvoiceRules.ROW_REASON).as("reason"),
            col(Conformer.RAW).as("raw_row"));
  }
}
