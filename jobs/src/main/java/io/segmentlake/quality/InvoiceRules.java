package io.segmentlake.quality;

import static io.segmentlake.quality.Contract.CUSTOMER_ID;
import static io.segmentlake.quality.Contract.INVOICE_ID;
import static io.segmentlake.quality.Contract.INVOICE_TS;
import static io.segmentlake.quality.Contract.LINE_NO;
import static io.segmentlake.quality.Contract.PRODUCT_ID;
import static io.segmentlake.quality.Contract.QUANTITY;
import static io.segmentlake.quality.Contract.STATUS;
import static io.segmentlake.quality.Contract.UNIT_PRICE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.config.QualitySettings;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Classifies every conformed invoice row as used, excluded by a stated rule, or quarantined with a
 * reason, so that read = used + excluded + quarantined always holds.
 */
public final class InvoiceRules {
  /**
   * The row's status as a code: USED, EXCLUDED or QUARANTINED. A byte, not the word: every stage
   * reads and compares it for each cached row it uses (tens of millions of rows per run).
   */
  public static final String ROW_STATUS = "row_status";

  /** Why a row is excluded or quarantined; null for used rows. */
  public static final String ROW_REASON = "row_reason";

  /** Row status codes. */
  public static final byte USED = 0;

  public static final byte EXCLUDED = 1;
  public static final byte QUARANTINED = 2;

  /** Exclusion reasons. */
  public static final String AFTER_AS_OF = "after as-of date";

  public static final String CANCELLED = "cancelled invoice";

  /** The quarantine reason of a repeated invoice line. */
  public static final String DUPLICATE = "duplicate line";

  private InvoiceRules() {}

  /** A status code's name: used, excluded or quarantined. */
  public static String statusName(byte status) {
    return switch (status) {
      case USED -> "used";
      case EXCLUDED -> "excluded";
      case QUARANTINED -> "quarantined";
      default -> throw new IllegalArgumentException("unknown row status " + status);
    };
  }

  /**
   * Adds row_status and row_reason; rows at or after the cut-off instant are excluded. The raw row
   * becomes JSON only for rows that are not used (serialising every row would cost a pass). The
   * result is hash-partitioned by customer_id, so per-customer aggregates need no further shuffle.
   */
  public static Dataset<Row> classify(
      Dataset<Row> invoices, Instant cutoff, QualitySettings quality) {
    return markDuplicates(
        RowRules.apply(invoices, rules(cutoff, quality)).repartition(col(CUSTOMER_ID)));
  }

  /** Ordered rules: {condition, status, reason}; the first that matches decides. */
  private static List<Column[]> rules(Instant cutoff, QualitySettings quality) {
    List<Column[]> rules = new ArrayList<>();
    rules.add(RowRules.unparsable());
    rules.add(RowRules.quarantine(col(INVOICE_TS).isNull(), lit("null " + INVOICE_TS)));
    rules.add(afterAsOf(col(INVOICE_TS), cutoff));
    rules.add(RowRules.rule(isCancelled(quality), EXCLUDED, lit(CANCELLED)));
    for (Contract.Column column : Contract.columns("invoices")) {
      if (List.of(INVOICE_ID, CUSTOMER_ID, PRODUCT_ID).contains(column.name())) {
        rules.add(RowRules.nullKey(column));
      }
    }
    rules.add(RowRules.quarantine(col(QUANTITY).isNull(), lit("null " + QUANTITY)));
    rules.add(RowRules.quarantine(col(QUANTITY).equalTo(0), lit("zero " + QUANTITY)));
    rules.add(RowRules.quarantine(col(UNIT_PRICE).isNull(), lit("null " + UNIT_PRICE)));
    rules.add(RowRules.nonFinite(UNIT_PRICE));
    rules.add(RowRules.quarantine(col(UNIT_PRICE).lt(0), lit("negative " + UNIT_PRICE)));
    return rules;
  }

  /** The rule excluding events at or after the cut-off instant. */
  static Column[] afterAsOf(Column ts, Instant cutoff) {
    return RowRules.rule(ts.geq(lit(Timestamp.from(cutoff))), EXCLUDED, lit(AFTER_AS_OF));
  }

  private static Column isCancelled(QualitySettings quality) {
    List<String> statuses =
        quality.cancelledStatuses().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    Column cancelled = lower(trim(col(STATUS))).isin(statuses.toArray());
    if (quality.cancelledInvoicePrefix().isPresent()) {
      cancelled = cancelled.or(col(INVOICE_ID).startsWith(quality.cancelledInvoicePrefix().get()));
    }
    return cancelled.equalTo(true);
  }

  /**
   * Among rows otherwise used, keeps the first of each invoice line and quarantines the repeats. A
   * line is identified by (invoice_id, line_no), or by all its values when line_no is absent. A
   * repeat's raw row is the line as read, in contract column names. The check sorts each partition
   * by customer, invoice and line: the stages' per-customer and per-invoice aggregates use that
   * order (see the session's replaceHashWithSortAgg).
   */
  private static Dataset<Row> markDuplicates(Dataset<Row> rows) {
    Column noLine = col(LINE_NO).isNull();
    Column[] key = {
      col(CUSTOMER_ID),
      col(INVOICE_ID),
      col(LINE_NO),
      col(ROW_STATUS),
      when(noLine, col(PRODUCT_ID)),
      when(noLine, col(INVOICE_TS)),
      when(noLine, col(QUANTITY)),
      when(noLine, col(UNIT_PRICE))
    };
    String first = "_first_of_line";
    Column[] contract =
        Contract.columns("invoices").stream().map(c -> col(c.name())).toArray(Column[]::new);
    Column repeat = col(ROW_STATUS).equalTo(USED).and(col(first).unary_$bang());
    return rows.withColumn(
            first,
            row_number()
                .over(
                    Window.partitionBy(key)
                        .orderBy(col(PRODUCT_ID), col(QUANTITY), col(UNIT_PRICE)))
                .equalTo(1))
        .withColumn(ROW_REASON, when(repeat, lit(DUPLICATE)).otherwise(col(ROW_REASON)))
        .withColumn(
            Conformer.RAW, when(repeat, to_json(struct(contract))).otherwise(col(Conformer.RAW)))
        .withColumn(ROW_STATUS, when(repeat, lit(QUARANTINED)).otherwise(col(ROW_STATUS)))
        .drop(first);
  }
}
