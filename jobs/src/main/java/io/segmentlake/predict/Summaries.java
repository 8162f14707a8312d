package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.CUSTOMER_ID;
import static io.segmentlake.predict.PredictColumns.FIRST_PURCHASE_DATE;
import static io.segmentlake.predict.PredictColumns.HOLDOUT_PURCHASES;
import static io.segmentlake.predict.PredictColumns.INVOICE_TS;
import static io.segmentlake.predict.PredictColumns.LAST_PURCHASE_DATE;
import static io.segmentlake.predict.PredictColumns.MEAN_REPEAT_SPEND;
import static io.segmentlake.predict.PredictColumns.QUANTITY;
import static io.segmentlake.predict.PredictColumns.T_CAL_DAYS;
import static io.segmentlake.predict.PredictColumns.T_X_DAYS;
import static io.segmentlake.predict.PredictColumns.UNIT_PRICE;
import static io.segmentlake.predict.PredictColumns.X;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;

import io.segmentlake.Money;
import io.segmentlake.Schemas;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The customer summaries the models need, built from invoice lines. A purchase is a customer's
 * local day with at least one purchase line (quantity > 0): all lines of the day are merged into
 * one purchase whose amount is their net amount (returns on that day net out). A day with only
 * returns is not a purchase, and its amount is not counted.
 */
final class Summaries {
  private static final String DAY = "_day";
  private static final String CENTS = "_cents";
  private static final String PURCHASE = "_purchase";
  private static final String FIRST = "_first";
  private static final String LAST = "_last";

  /** What {@link #summary} returns per customer, first and last purchase as day numbers. */
  private static final Encoder<Row> SUMMARY =
      Encoders.row(
          new StructType()
              .add(CUSTOMER_ID, DataTypes.StringType)
              .add(FIRST, DataTypes.IntegerType)
              .add(LAST, DataTypes.IntegerType)
              .add(X, DataTypes.IntegerType, false)
              .add(T_X_DAYS, DataTypes.IntegerType, false)
              .add(T_CAL_DAYS, DataTypes.IntegerType, false)
              .add(MEAN_REPEAT_SPEND, DataTypes.DoubleType, false)
              .add(HOLDOUT_PURCHASES, DataTypes.IntegerType, false));

  private Summaries() {}

  /**
   * Per customer whose first purchase is on or before {@code end}, from the purchases up to it: x =
   * repeat purchases, t_x = days from the first to the last purchase, T = days from the first
   * purchase to {@code end}, the mean amount of the repeat purchases (0 when x = 0), and the
   * purchases after {@code end} up to the as-of date (the holdout's; 0 when {@code end} is the
   * as-of date). One pass over each customer's own lines: grouped by customer, which the used lines
   * already are, so neither the lines nor their purchase days are shuffled.
   */
  static Dataset<Row> calibration(Dataset<Row> usedInvoices, LocalDate end, LocalDate asOf) {
    Schemas.require(usedInvoices, "used invoices", CUSTOMER_ID, INVOICE_TS, QUANTITY, UNIT_PRICE);
    Column cents = Money.lineCents(col(QUANTITY), col(UNIT_PRICE));
    Dataset<Row> projected =
        usedInvoices.select(
            col(CUSTOMER_ID),
            unix_date(to_date(col(INVOICE_TS))).as(DAY),
            cents.as(CENTS),
            col(QUANTITY).gt(0).as(PURCHASE));
    int endDay = (int) end.toEpochDay();
    int asOfDay = (int) asOf.toEpochDay();
    return projected
        .groupBy(col(CUSTOMER_ID))
        .as(Encoders.STRING(), Encoders.row(projected.schema()))
        .flatMapGroups(
            (FlatMapGroupsFunction<String, Row, Row>)
                (customer, lines) -> summary(customer, lines, endDay, asOfDay),
            SUMMARY)
        .select(
            col(CUSTOMER_ID),
            date_from_unix_date(col(FIRST)).as(FIRST_PURCHASE_DATE),
            date_from_unix_date(col(LAST)).as(LAST_PURCHASE_DATE),
            col(X),
            col(T_X_DAYS),
            col(T_CAL_DAYS),
            col(MEAN_REPEAT_SPEND),
            col(HOLDOUT_PURCHASES));
  }

  /**
   * One customer's summary from its lines (customer, day number, cents, is a purchase line), or
   * none when it has no purchase up to {@code end}. Used lines never have a null timestamp,
   * quantity or price (the quality rules quarantine those); here a line without a day is skipped, a
   * null amount counts 0 and a null purchase flag counts as a return.
   */
  private static Iterator<Row> summary(String customer, Iterator<Row> lines, int end, int asOf) {
    // day -> {net cents, 1 when the day has a purchase line}
    Map<Integer, long[]> days = new HashMap<>();
    while (lines.hasNext()) {
      Row line = lines.next();
      if (line.isNullAt(1)) {
        continue;
      }
      long[] day = days.computeIfAbsent(line.getInt(1), d -> new long[2]);
      day[0] += line.isNullAt(2) ? 0 : line.getLong(2);
      day[1] |= !line.isNullAt(3) && line.getBoolean(3) ? 1 : 0;
    }
    int first = Integer.MAX_VALUE;
    int last = Integer.MIN_VALUE;
    int purchases = 0;
    int after = 0;
    long totalCents = 0;
    long firstCents = 0;
    for (Map.Entry<Integer, long[]> e : days.entrySet()) {
      int day = e.getKey();
      long[] v = e.getValue();
      if (v[1] == 0) {
        continue;
      }
      if (day > end) {
        after += day <= asOf ? 1 : 0;
        continue;
      }
      purchases++;
      totalCents += v[0];
      if (day < first) {
        first = day;
        firstCents = v[0];
      }
      last = Math.max(last, day);
    }
    if (purchases == 0) {
      return Collections.emptyIterator();
    }
    int x = purchases - 1;
    double meanRepeat = x > 0 ? (double) (totalCents - firstCents) / x / 100 : 0.0;
    return List.of(
            RowFactory.create(
                customer, first, last, x, last - first, end - first, meanRepeat, after))
        .iterator();
  }
}
