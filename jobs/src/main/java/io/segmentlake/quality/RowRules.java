package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** An ordered list of row rules, {condition, status, reason}: the first that matches decides. */
final class RowRules {
  private RowRules() {}

  /** A rule that quarantines matching rows with a reason. */
  static Column[] quarantine(Column condition, Column reason) {
    return rule(condition, InvoiceRules.QUARANTINED, reason);
  }

  /** A rule that gives matching rows a status and a reason. */
  static Column[] rule(Column condition, byte status, Column reason) {
    return new Column[] {condition, lit(status), reason};
  }

  /**
   * Adds row_status and row_reason from the rules (rows no rule matches are used). The raw row
   * becomes JSON only for rows that are not used (serialising every row would cost a pass). The
   * names of unparsable values, read by the rules only, are dropped.
   */
  static Dataset<Row> apply(Dataset<Row> rows, List<Column[]> rules) {
    Column status = lit(InvoiceRules.USED);
    Column reason = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      Column[] rule = rules.get(i);
      status = when(rule[0], rule[1]).otherwise(status);
      reason = when(rule[0], rule[2]).otherwise(reason);
    }
    return rows.withColumn(InvoiceRules.ROW_STATUS, status)
        .withColumn(InvoiceRules.ROW_REASON, reason)
        .withColumn(
            Conformer.RAW,
            when(
                col(InvoiceRules.ROW_STATUS).notEqual(InvoiceRules.USED),
                to_json(col(Conformer.RAW))))
        .drop(Conformer.UNPARSABLE);
  }

  /**
   * The rule quarantining rows whose number in the column is NaN or infinite (a CSV or Parquet file
   * can hold them; in Spark SQL NaN is above every number, so no range rule catches it): every sum
   * or band it entered would be NaN, infinite or the top one.
   */
  static Column[] nonFinite(String column) {
    return quarantine(
        isnan(col(column)).or(col(column).isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
        lit("non-finite " + column));
  }

  /** The rule quarantining rows whose source values did not parse. */
  static Column[] unparsable() {
    return quarantine(
        col(Conformer.UNPARSABLE).isNotNull(),
        org.apache.spark.sql.functions.concat(lit("unparsable "), col(Conformer.UNPARSABLE)));
  }

  /**
   * The rule quarantining rows whose key column is null, or blank for a string key (only strings
   * are trimmed: trimming a timestamp would format every value as text).
   */
  static Column[] nullKey(Contract.Column key) {
    Column missing = col(key.name()).isNull();
    if (key.type().equals(DataTypes.StringType)) {
      missing = missing.or(org.apache.spark.sql.functions.trim(col(key.name())).equalTo(""));
    }
    return quarantine(missing, lit("null " + key.name()));
  }
}
