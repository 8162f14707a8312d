package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.AMOUNT_CENTS;
import static io.segmentlake.predict.PredictColumns.CUSTOMER_ID;
import static io.segmentlake.predict.PredictColumns.DAY;
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
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
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

/**
 * The customer summaries the models need, built from invoice lines. A purchase is a customer's
 * local day with at least one purchase line (quantity > 0): all lines of the day are merged into
 * one purchase whose amount is their net amount (returns on that day net out). A day with only
 * returns is not a purchase, and its amount is not counted.
 */
final class Summaries {
  private Summaries() {}

  /** One row per purchase: customer, local day, net amount in cents. */
  static Dataset<Row> purchaseDays(Dataset<Row> usedInvoices) {
    Schemas.require(usedInvoices, "used invoices", CUSTOMER_ID, INVOICE_TS, QUANTITY, UNIT_PRICE);
    Column cents =
        col(QUANTITY).cast("long").multiply(round(col(UNIT_PRICE).multiply(100)).cast("long"));
    return usedInvoices
        .groupBy(col(CUSTOMER_ID), to_date(col(INVOICE_TS)).as(DAY))
        .agg(
            sum(cents).as(AMOUNT_CENTS),
            max(when(col(QUANTITY).gt(0), lit(true)).otherwise(lit(false))).as("_purchase"))
        .where(col("_purchase"))
        .drop("_purchase");
  }

  /**
   * Per customer whose first purchase is on or before {@code end}, from the purchases up to it: x =
   * repeat purchases, t_x = days from the first to the last purchase, T = days from the first
   * purchase to {@code end}, and the mean amount of the repeat purchases (0 when x = 0).
   */
  static Dataset<Row> calibration(Dataset<Row> purchaseDays, LocalDate end) {
    Schemas.require(purchaseDays, "purchase days", CUSTOMER_ID, DAY, AMOUNT_CENTS);
    return purchaseDays
        .where(col(DAY).leq(lit(Date.valueOf(end))))
        .groupBy(col(CUSTOMER_ID))
        .agg(
            min(col(DAY)).as(FIRST_PURCHASE_DATE),
            max(col(DAY)).as(LAST_PURCHASE_DATE),
            count(lit(1)).minus(1).cast("int").as(X),
            sum(col(AMOUNT_CENTS)).minus(min_by(col(AMOUNT_CENTS), col(DAY))).as("_repeat_cents"))
        .withColumn(T_X_DAYS, datediff(col(LAST_PURCHASE_DATE), col(FIRST_PURCHASE_DATE)))
        .withColumn(T_CAL_DAYS, datediff(lit(Date.valueOf(end)), col(FIRST_PURCHASE_DATE)))
        .withColumn(
            MEAN_REPEAT_SPEND,
            when(col(X).gt(0), col("_repeat_cents").divide(col(X)).divide(100)).otherwise(lit(0.0)))
        .drop("_repeat_cents");
  }

  /** Purchases per customer after {@code start} up to and including {@code end}. */
  static Dataset<Row> purchasesBetween(Dataset<Row> purchaseDays, LocalDate start, LocalDate end) {
    return purchaseDays
        .where(col(DAY).gt(lit(Date.valueOf(start))).and(col(DAY).leq(lit(Date.valueOf(end)))))
        .groupBy(col(CUSTOMER_ID))
        .agg(count(lit(1)).cast("int").as(HOLDOUT_PURCHASES));
  }
}
