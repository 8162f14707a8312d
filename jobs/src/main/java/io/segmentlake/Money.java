package io.segmentlake;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.udf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;

/**
 * Money and points in the output tables: decimal(18,2), so that BI tools sum them exactly and the
 * parts of a total add up to it.
 */
public final class Money {
  /** decimal(18,2). */
  public static final DecimalType TYPE = DataTypes.createDecimalType(18, 2);

  /** Below this many cents a double's error is under 1e-3 cent (see {@link #nearestCents}). */
  private static final double FAST_CENTS_LIMIT = 1e12;

  /** 10^18 cents: the first amount decimal(18,2) cannot hold. */
  private static final long MAX_CENTS = 1_000_000_000_000_000_000L;

  /** How far from a half cent a double's cents must be to round without its decimal form. */
  private static final double HALF_CENT_MARGIN = 1e-3;

  private static final UserDefinedFunction NEAREST_CENTS =
      udf((UDF1<Double, Decimal>) Money::nearestCents, TYPE);

  private Money() {}

  /**
   * An invoice line's net amount in whole cents: quantity (negative for a return) times the unit
   * price rounded to the cent, exact in a long.
   */
  public static Column lineCents(Column quantity, Column unitPrice) {
    return quantity.cast("long").multiply(round(unitPrice.multiply(100)).cast("long"));
  }

  /** The amount as decimal(18,2), rounded half up to the cent. */
  public static Column of(Column amount) {
    return amount.cast(TYPE);
  }

  /**
   * A double amount as decimal(18,2): the same value as {@link #of}, faster. Spark's cast formats
   * every double as text (its decimal form) and rounds that half up; here a double whose cents are
   * not within a thousandth of a half cent is rounded to its nearest cent directly, and only the
   * others (and amounts of 10 billion or more, NaN, infinities) go through the cast.
   */
  public static Column ofDouble(Column amount) {
    return coalesce(NEAREST_CENTS.apply(amount), amount.cast(TYPE));
  }

  /**
   * A double amount as decimal(18,2) in Java: the value {@link #of} and {@link #ofDouble} give in
   * SQL (half up on the double's decimal form), held as a long number of cents (Spark's own form
   * for it: no BigDecimal to convert when a row is serialized or written); an amount out of range,
   * or not a number, is an error, as in the cast under ANSI SQL (Spark's default).
   */
  public static Decimal cents(double amount) {
    Decimal fast = nearestCents(amount);
    if (fast != null) {
      return fast;
    }
    if (!Double.isFinite(amount)) {
      throw new ArithmeticException("an amount of " + amount + " points or money");
    }
    BigDecimal d = new BigDecimal(Double.toString(amount)).setScale(2, RoundingMode.HALF_UP);
    if (d.precision() > TYPE.precision()) {
      throw tooLarge(d);
    }
    return ofCents(d.unscaledValue().longValueExact());
  }

  /** Whole cents as decimal(18,2); an error beyond its 18 digits. */
  public static Decimal ofCents(long cents) {
    if (cents >= MAX_CENTS || cents <= -MAX_CENTS) {
      throw tooLarge(BigDecimal.valueOf(cents, 2));
    }
    return Decimal.createUnsafe(cents, TYPE.precision(), TYPE.scale());
  }

  private static ArithmeticException tooLarge(BigDecimal amount) {
    return new ArithmeticException("an amount of " + amount + " exceeds " + TYPE.simpleString());
  }

  /**
   * The amount's nearest whole cents, or null when that could differ from rounding its decimal form
   * half up. The decimal form d of a double x is within one ulp of it, so for |100 x| < 1e12 the
   * double 100 x is within 3.3e-4 of 100 d: when 100 x is at least 1e-3 from a half, 100 d has the
   * same nearest integer and is no tie.
   */
  static Decimal nearestCents(Double amount) {
    if (amount == null) {
      return null;
    }
    double cents = amount * 100;
    if (!(Math.abs(cents) < FAST_CENTS_LIMIT)
        || Math.abs(cents - Math.floor(cents) - 0.5) < HALF_CENT_MARGIN) {
      return null;
    }
    return Decimal.createUnsafe(Math.round(cents), TYPE.precision(), TYPE.scale());
  }
}
