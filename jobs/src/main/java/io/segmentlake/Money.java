package io.segmentlake;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Money and points in the output tables: decimal(18,2), so that BI tools sum them exactly and the
 * parts of a total add up to it.
 */
public final class Money {
  /** decimal(18,2). */
  public static final DecimalType TYPE = DataTypes.createDecimalType(18, 2);

  private Money() {}

  /** The amount as decimal(18,2), rounded half up to the cent. */
  public static Column of(Column amount) {
    return amount.cast(TYPE);
  }
}
