package io.segmentlake.generate;

import static io.segmentlake.generate.LakeColumns.*;
import static io.segmentlake.generate.Randoms.DAY;
import static io.segmentlake.generate.Randoms.HOUR;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Purchase invoices: one row per line, with seasonality, channels, returns and cancellations. */
final class InvoiceGenerator {
  /** Invoice numbers reserve this many slots per customer. */
  static final long INVOICE_SLOTS = CustomerGenerator.MAX_INVOICES + 1L;

  private static final double CANCELLED_SHARE = 0.015;
  private static final double LATE_SHARE = 0.0055;
  private static final long LATE_DAYS = 29;
  private static final double PROMO_SHARE = 0.12;
  private static final double HOME_REP_SHARE = 0.85;
  private static final long HOLIDAY_DAYS = 40;

  private final LakeGenerator.Spec spec;
  private final Randoms rnd;
  private final ProductGenerator products;
  private final CustomerGenerator customers;
  private final Long[] holidayStarts;
  private final long firstYearStart;

  InvoiceGenerator(
      LakeGenerator.Spec spec,
      Randoms rnd,
      ProductGenerator products,
      CustomerGenerator customers) {
    this.spec = spec;
    this.rnd = rnd;
    this.products = products;
    this.customers = customers;
    int firstYear = Instant.ofEpochSecond(spec.startSec()).atOffset(ZoneOffset.UTC).getYear();
    int lastYear = Instant.ofEpochSecond(spec.endSec()).atOffset(ZoneOffset.UTC).getYear();
    this.holidayStarts = new Long[lastYear - firstYear + 1];
    for (int i = 0; i < holidayStarts.length; i++) {
      holidayStarts[i] =
          LocalDate.of(firstYear + i, 11, 15).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
    this.firstYearStart =
        LocalDate.of(firstYear, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  }

  /** The public invoices table, including the deliberately dirty rows. */
  Dataset<Row> invoices(Dataset<Row> profiles) {
    return new InvoiceFinisher(spec, rnd, products).finish(lines(heads(profiles)));
  }

  private Dataset<Row> heads(Dataset<Row> profiles) {
    Column invoiceNo = col(INVOICE_NO);
    Column channel = col(CHANNEL);
    return profiles
        .select(
            col(CID),
            col(CUSTOMER_ID),
            col(LEGAL),
            col(ARCH),
            col(SIGNUP_SEC),
            col(WIN_START),
            col(WIN_END),
            col(N_INVOICES),
            col(JITTER),
            col(WEB_SHARE),
            col(SPEND_LEVEL),
            col(SALES_REP_ID).as(HOME_REP),
            explode(sequence(lit(1), col(N_INVOICES))).as(K))
        .withColumn(INVOICE_NO, col(CID).multiply(INVOICE_SLOTS).plus(col(K)))
        .withColumn(CHANNEL, channel(invoiceNo))
        .withColumn(TS_SEC, invoiceTime(invoiceNo, channel).cast("long"))
        .withColumn(SALES_REP_ID, salesRep(invoiceNo, channel))
        .withColumn(
            STATUS,
            when(rnd.chance(lit(CANCELLED_SHARE), 307, invoiceNo), "cancelled")
                .otherwise("completed"))
        .withColumn(N_LINES, lineCount(invoiceNo).cast("int"));
  }

  private Column salesRep(Column invoiceNo, Column channel) {
    Column otherRep = customers.repId(customers.randomRep(305, invoiceNo));
    Column rep =
        when(rnd.chance(lit(HOME_REP_SHARE), 306, invoiceNo), col(HOME_REP)).otherwise(otherRep);
    return when(channel.notEqual("web"), rep);
  }

  private Column channel(Column invoiceNo) {
    Column phoneShare = when(col(LEGAL).equalTo(1), 0.35).otherwise(0.12);
    return when(rnd.chance(col(WEB_SHARE), 303, invoiceNo), "web")
        .when(rnd.chance(phoneShare, 304, invoiceNo), "phone")
        .otherwise("store");
  }

  private Column lineCount(Column invoiceNo) {
    Column u = rnd.uniform(308, invoiceNo);
    return when(Archetype.BIG_SPENDERS_RARE.is(col(ARCH)), floor(u.multiply(3)).plus(2))
        .otherwise(floor(pow(u, 1.6).multiply(4)).plus(1));
  }

  private Column invoiceTime(Column invoiceNo, Column channel) {
    Column start = col(WIN_START);
    Column end = col(WIN_END);
    Column slot =
        col(K)
            .minus(0.5)
            .plus(col(JITTER).multiply(rnd.uniform(309, invoiceNo).multiply(2).minus(1)));
    Column planned = start.plus(end.minus(start).multiply(slot).divide(col(N_INVOICES)));
    Column holiday =
        holidayStart(planned).plus(rnd.uniform(310, invoiceNo).multiply(HOLIDAY_DAYS * DAY));
    Column shift =
        rnd.chance(Archetype.param(a -> a.holidayShare, col(ARCH)), 311, invoiceNo)
            .and(holiday.geq(start))
            .and(holiday.lt(end));
    Column day = floor(when(shift, holiday).otherwise(planned).divide(DAY)).multiply(DAY);
    Column clock = day.plus(hourOfDay(channel, invoiceNo));
    Column inRange = least(lit(spec.endSec() - 1), greatest(col(SIGNUP_SEC).plus(300), clock));
    Column lateDay =
        rnd.between(1, lit(LATE_DAYS), 312, invoiceNo).multiply(DAY).plus(spec.endSec());
    Column late = col(K).geq(2).and(rnd.chance(lit(LATE_SHARE), 313, invoiceNo));
    return when(late, lateDay.plus(hourOfDay(channel, invoiceNo))).otherwise(inRange);
  }

  private Column holidayStart(Column ts) {
    Column year = floor(ts.minus(firstYearStart).divide(365.2425 * DAY));
    Column index = least(lit(holidayStarts.length - 1), greatest(lit(0), year));
    return Randoms.lookup(holidayStarts, index);
  }

  private Column hourOfDay(Column channel, Column invoiceNo) {
    Column u = rnd.uniform(314, invoiceNo);
    Column evening = pmod(rnd.normal(315, invoiceNo).multiply(3.5).plus(19.5), lit(24.0));
    Column hours =
        when(channel.equalTo("web"), evening)
            .when(channel.equalTo("phone"), u.multiply(10).plus(8))
            .otherwise(u.multiply(11).plus(9));
    return floor(hours.multiply(HOUR));
  }

  private Dataset<Row> lines(Dataset<Row> heads) {
    Column invoiceNo = col(INVOICE_NO);
    Column line = col(LINE_NO);
    Column first = products.popularPick(320, invoiceNo, line);
    Column second = products.popularPick(321, invoiceNo, line);
    Column pricier =
        when(products.listPrice(second).gt(products.listPrice(first)), second).otherwise(first);
    return heads
        .withColumn(LINE_NO, explode(sequence(lit(1), col(N_LINES))))
        .withColumn(PID, when(Archetype.BIG_SPENDERS_RARE.is(col(ARCH)), pricier).otherwise(first))
        .withColumn(QUANTITY, quantity(invoiceNo, line))
        .withColumn(UNIT_PRICE, unitPrice(invoiceNo, line));
  }

  private Column quantity(Column invoiceNo, Column line) {
    Column units = exp(col(SPEND_LEVEL).plus(rnd.normal(322, invoiceNo, line).multiply(0.5)));
    Column natural = greatest(lit(1L), round(units).cast("long"));
    Column bulk = rnd.between(2, lit(12), 323, invoiceNo, line);
    return least(lit(999L), when(col(LEGAL).equalTo(1), natural.multiply(bulk)).otherwise(natural));
  }

  private Column unitPrice(Column invoiceNo, Column line) {
    Column promo = rnd.uniform(325, invoiceNo, line).multiply(0.2).plus(0.1);
    Column promoFactor =
        when(rnd.chance(lit(PROMO_SHARE), 324, invoiceNo, line), lit(1.0).minus(promo))
            .otherwise(1.0);
    Column volumeFactor = when(col(LEGAL).equalTo(1), 0.92).otherwise(1.0);
    return round(products.listPrice(col(PID)).multiply(promoFactor).multiply(volumeFactor), 2);
  }
}
