package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Codes;
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
 * after the as-of date are excluded (and, before any check, those that the loyalty points cannot
 * count: {@link #leftOut}), and a repeated key (product, customer, event id) keeps its first row
 * and quarantines the others.
 */
public final class ReferenceRules {
  private static final String EVENT_TS = "event_ts";
  private static final String EVENT_ID = "event_id";
  private static final String EVENT_TYPE = "event_type";

  /** The exclusion reason of interactions before the loyalty points window. */
  public static final String BEFORE_WINDOW = "before the loyalty points window";

  /** The exclusion reason of interactions of an event type that no loyalty rule counts. */
  public static final String NOT_COUNTED = "event type earns no loyalty points";

  private ReferenceRules() {}

  /**
   * Why a conformed interaction is left out before the rules check it ({@link #BEFORE_WINDOW},
   * {@link #NOT_COUNTED}), or null for a row to check and keep. Only the loyalty stage reads
   * interactions, and only the events in its points window (from {@code since} on) of the event
   * types its rules count ({@code types}, each trimmed and in lower case; types are compared as
   * {@link Codes#normalized} reads them): the others are counted as excluded but neither checked
   * nor kept. On a long history that is most of the table. A row with a missing or unparsable
   * event_ts, and one from the window on with a missing or blank event_type, is kept (the rules
   * quarantine it). Repeats of an event id are found among the rows kept: a counted event whose id
   * also appears on a row left out is used.
   */
  public static Column leftOut(Instant since, List<String> types) {
    Column type = Codes.eventType(col(EVENT_TYPE), types);
    return when(col(EVENT_TS).lt(lit(since)), lit(BEFORE_WINDOW))
        .when(
            col(EVENT_TS)
                .isNotNull()
                .and(type.notEqual(""))
                .and(type.isin(types.toArray()).unary_$bang()),
            lit(NOT_COUNTED));
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
