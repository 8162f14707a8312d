package io.segmentlake.rfm;

import static io.segmentlake.rfm.RfmColumns.CUSTOMER_ID;
import static io.segmentlake.rfm.RfmColumns.FIRST_PURCHASE_DATE;
import static io.segmentlake.rfm.RfmColumns.FREQUENCY;
import static io.segmentlake.rfm.RfmColumns.INVOICE_ID;
import static io.segmentlake.rfm.RfmColumns.INVOICE_TS;
import static io.segmentlake.rfm.RfmColumns.LAST_PURCHASE_DATE;
import static io.segmentlake.rfm.RfmColumns.MONETARY_UNITS;
import static io.segmentlake.rfm.RfmColumns.QUANTITY;
import static io.segmentlake.rfm.RfmColumns.RECENCY_DAYS;
import static io.segmentlake.rfm.RfmColumns.UNITS_PER_CURRENCY;
import static io.segmentlake.rfm.RfmColumns.UNIT_PRICE;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Schemas;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Per-customer recency, frequency and monetary value from used invoice lines. */
final class RfmMeasures {
  private RfmMeasures() {}

  /**
   * One row per customer with any line up to the as-of date: purchase dates (local dates in the
   * session time zone), recency in days, distinct purchase invoices and net amount in the lookback
   * window (returns net out). Customers with only returns have null purchase dates.
   */
  static Dataset<Row> compute(Dataset<Row> usedInvoices, LocalDate asOf, int lookbackDays) {
    Schemas.require(
        usedInvoices, "used invoices", CUSTOMER_ID, INVOICE_ID, INVOICE_TS, QUANTITY, UNIT_PRICE);
    Column day = to_date(col(INVOICE_TS));
    Column purchase = col(QUANTITY).gt(0);
    Column inWindow = day.gt(lit(Date.valueOf(asOf.minusDays(lookbackDays))));
    Column amountUnits =
        col(QUANTITY)
            .cast("long")
            .multiply(round(col(UNIT_PRICE).multiply(UNITS_PER_CURRENCY)).cast("long"));
    return usedInvoices
        .groupBy(col(CUSTOMER_ID))
        .agg(
            min(when(purchase, day)).as(FIRST_PURCHASE_DATE),
            max(when(purchase, day)).as(LAST_PURCHASE_DATE),
            count_distinct(when(purchase.and(inWindow), col(INVOICE_ID))).as(FREQUENCY),
            coalesce(sum(when(inWindow, amountUnits)), lit(0L)).as(MONETARY_UNITS))
        .withColumn(RECENCY_DAYS, datediff(lit(Date.valueOf(asOf)), col(LAST_PURCHASE_DATE)));
  }
}
