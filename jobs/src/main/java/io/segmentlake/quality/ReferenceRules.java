package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Classifies the rows of the optional tables (products, customers, interactions) as used, excluded
 * or quarantined, as {@link InvoiceRules} does for invoices: values that do not parse, missing keys
 * and NaN or infinite numbers (products' unit_cost and margin_rate) are quarantined, interactions
 * after the as-of date are excluded (and those before the loyalty points window, {@link
 * #notBefore}), and a repeated key (product, customer, event id) keeps its first row and
 * quarantines the others.
 */
public final class ReferenceRules {
  private static final String EVENT_TS = "event_ts";
  private static final String EVENT_ID = "event_id";

  /** The exclusion reason of interactions before the loyalty points window. */
  public static final String BEFORE_WINDOW = "before the loyalty points window";

  private ReferenceRules() {}

  /**
   * The conformed interactions at or after the instant, and those whose event_ts is missing or did
   * not parse (the rules quarantine them). The others ({@link #before}) are before the loyalty
   * points window: only the loyalty stage reads interactions, and only in that window, so they are
   * counted as excluded ({@link #BEFORE_WINDOW}) but neither checked nor kept. On a long history
   * that is most of the table. Repeats of an event id are found among the rows kept: an event in
   * the window whose id also appears before it is used.
   */
  public static Dataset<Row> notBefore(Dataset<Row> conformed, Instant since) {
    return conformed.where(col(EVENT_TS).isNull().or(col(EVENT_TS).geq(lit(since))));
  }

  /** The conformed interactions before the instant: the rows {@link #notBefore} leaves out. */
  public static Dataset<Row> before(Dataset<Row> conformed, Instant since) {
    return conformed.where(col(EVENT_TS).lt(lit(since)));
  }

  /** Adds row_status and row_reason to a conformed optional table. */
  public static Dataset<Row> classify(String table, Dataset<Row> conformed, Instant cutoff) {
    List<Column[]> rules = new ArrayList<>();
    rules.add(RowRules.unparsable());
    for (Contract.Column column : Contract.columns(table)) {
      if (column.required()) {
        rules.add(RowRules.nullKey(column));
      }
      if (column.type().equals(DataTypes.DoubleType)) {
        rules.add(RowRules.nonFinite(column.name()));
      }
    }
    if (table.equals("interactions")) {
      rules.add(InvoiceRules.afterAsOf(col(EVENT_TS), cutoff));
    }
    Dataset<Row> classified = RowRules.apply(conformed, rules);
    return switch (table) {
      case "products" -> markRepeats(classified, table, Contract.PRODUCT_ID, Contract.PRODUCT_ID);
      case "customers" ->
          markRepeats(classified, table, Contract.CUSTOMER_ID, Contract.CUSTOMER_ID);
      default -> markRepeats(classified, table, Contract.CUSTOMER_ID, EVENT_ID);
    };
  }

  /**
   * Among used rows with a non-null key, keeps the first of each key and quarantines the rest (rows
   * without a key are spread by their values, not gathered in one partition). The result is
   * hash-partitioned by the partition column (customer_id for customers and interactions), so the
   * per-customer work on it needs no further shuffle. An event id repeats within one customer.
   */
  private static Dataset<Row> markRepeats(
      Dataset<Row> rows, String table, String partitionColumn, String key) {
    Column[] contract =
        Contract.columns(table).stream().map(c -> col(c.name())).toArray(Column[]::new);
    String first = "_first_of_key";
    Column keyed =
        col(InvoiceRules.ROW_STATUS).equalTo(InvoiceRules.USED).and(col(key).isNotNull());
    Column repeat = keyed.and(col(first).unary_$bang());
    Column[] partition = {
      col(partitionColumn), col(key), when(keyed.unary_$bang(), hash(contract))
    };
    return rows.repartition(col(partitionColumn))
        .withColumn(
            first, row_number().over(Window.partitionBy(partition).orderBy(contract)).equalTo(1))
        .withColumn(
            InvoiceRules.ROW_REASON,
            when(repeat, lit("duplicate " + key)).otherwise(col(InvoiceRules.ROW_REASON)))
        .withColumn(
            Conformer.RAW, when(repeat, to_json(struct(contract))).otherwise(col(Conformer.RAW)))
        .withColumn(
            InvoiceRules.ROW_STATUS,
            when(repeat, lit(InvoiceRules.QUARANTINED)).otherwise(col(InvoiceRules.ROW_STATUS)))
        .drop(first);
  }
}
