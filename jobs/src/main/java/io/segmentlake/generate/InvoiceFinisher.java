package io.segmentlake.generate;

import static io.segmentlake.generate.LakeColumns.*;
import static io.segmentlake.generate.Randoms.DAY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Adds returns and dirty rows to purchase lines and projects the public invoice columns. */
final class InvoiceFinisher {
  /** Share of rows for each kind of dirt. */
  static final double DIRT_SHARE = 0.006;

  private static final int NULL_CUSTOMER = 1;
  private static final int NULL_TIMESTAMP = 2;
  private static final int NEGATIVE_PRICE = 3;
  private static final int ZERO_QUANTITY = 4;
  private static final int DUPLICATE = 5;
  private static final double MEAN_RETURN_DAYS = 8;

  private final LakeGenerator.Spec spec;
  private final Randoms rnd;
  private final ProductGenerator products;

  InvoiceFinisher(LakeGenerator.Spec spec, Randoms rnd, ProductGenerator products) {
    this.spec = spec;
    this.rnd = rnd;
    this.products = products;
  }

  /** Purchase lines plus returns and dirt, in the public invoice schema. */
  Dataset<Row> finish(Dataset<Row> lines) {
    Dataset<Row> dirty =
        withReturns(lines)
            .withColumn(DIRT, dirtKind())
            .withColumn(
                COPY,
                explode(sequence(lit(1), when(col(DIRT).equalTo(DUPLICATE), 2).otherwise(1))));
    return dirty.select(
        concat(lit("INV"), lpad(Randoms.scramble(col(INVOICE_NO)).cast("string"), 12, "0"))
            .as(INVOICE_ID),
        col(LINE_NO),
        when(col(DIRT).notEqual(NULL_CUSTOMER), col(CUSTOMER_ID)).as(CUSTOMER_ID),
        when(col(DIRT).notEqual(NULL_TIMESTAMP), timestamp_seconds(col(TS_SEC))).as(INVOICE_TS),
        products.productId(col(PID)).as(PRODUCT_ID),
        when(col(DIRT).equalTo(ZERO_QUANTITY), 0).otherwise(col(QUANTITY)).cast("int").as(QUANTITY),
        when(col(DIRT).equalTo(NEGATIVE_PRICE), col(UNIT_PRICE).multiply(-1))
            .otherwise(col(UNIT_PRICE))
            .cast(ProductGenerator.MONEY)
            .as(UNIT_PRICE),
        col(CHANNEL),
        col(SALES_REP_ID),
        col(STATUS),
        lit("EUR").as(CURRENCY));
  }

  private Dataset<Row> withReturns(Dataset<Row> lines) {
    Column invoiceNo = col(INVOICE_NO);
    Column line = col(LINE_NO);
    Column isReturn = col(IS_RETURN).equalTo(1);
    Column returnNo = invoiceNo.multiply(4).plus(line).minus(1).plus(returnSpaceStart());
    Column returnTs =
        col(TS_SEC).plus(DAY).plus(rnd.exponential(MEAN_RETURN_DAYS * DAY, 331, invoiceNo, line));
    Column returnQuantity =
        floor(rnd.uniform(332, invoiceNo, line).multiply(col(QUANTITY))).plus(1).multiply(-1);
    return lines
        .withColumn(IS_RETURN, explode(sequence(lit(0), when(returned(), 1).otherwise(0))))
        .select(
            when(isReturn, returnNo).otherwise(invoiceNo).as(INVOICE_NO),
            when(isReturn, 1).otherwise(line).as(LINE_NO),
            col(CUSTOMER_ID),
            when(isReturn, floor(returnTs)).otherwise(col(TS_SEC)).as(TS_SEC),
            col(PID),
            when(isReturn, returnQuantity).otherwise(col(QUANTITY)).as(QUANTITY),
            col(UNIT_PRICE),
            col(CHANNEL),
            col(SALES_REP_ID),
            col(STATUS),
            col(IS_RETURN))
        .filter(col(IS_RETURN).equalTo(0).or(col(TS_SEC).lt(spec.endSec())));
  }

  private Column returned() {
    Column channelFactor =
        when(col(CHANNEL).equalTo("web"), 1.8)
            .when(col(CHANNEL).equalTo("store"), 0.7)
            .otherwise(1.0);
    Column returnRate = Archetype.param(a -> a.returnRate, col(ARCH)).multiply(channelFactor);
    Column drawn = rnd.chance(returnRate, 330, col(INVOICE_NO), col(LINE_NO));
    return col(STATUS).equalTo("completed").and(drawn);
  }

  private long returnSpaceStart() {
    return (spec.customers() + 1) * InvoiceGenerator.INVOICE_SLOTS;
  }

  private Column dirtKind() {
    Column u = rnd.uniform(333, col(INVOICE_NO), col(LINE_NO));
    return when(u.lt(DIRT_SHARE * NULL_CUSTOMER), NULL_CUSTOMER)
        .when(u.lt(DIRT_SHARE * NULL_TIMESTAMP), NULL_TIMESTAMP)
        .when(u.lt(DIRT_SHARE * NEGATIVE_PRICE), NEGATIVE_PRICE)
        .when(u.lt(DIRT_SHARE * ZERO_QUANTITY), ZERO_QUANTITY)
        .when(u.lt(DIRT_SHARE * DUPLICATE), DUPLICATE)
        .otherwise(0);
  }
}
