package io.segmentlake.loyalty;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * String columns of Spark's rows read in place: in a binary row (UnsafeRow) by the address and size
 * of their UTF-8 bytes, without a UTF8String for them; in other rows through getUTF8String.
 */
final class BinaryStrings {
  private BinaryStrings() {}

  /** Where the bytes of a binary row's string column (not null) start, from its base object. */
  static long offset(UnsafeRow row, int ordinal) {
    return row.getBaseOffset() + (row.getLong(ordinal) >>> 32);
  }

  /** The number of bytes of a binary row's string column (not null). */
  static int size(UnsafeRow row, int ordinal) {
    return (int) row.getLong(ordinal);
  }

  /** Whether the row's string column is the string (both null, or the same bytes). */
  static boolean same(InternalRow row, int ordinal, UTF8String s) {
    if (row.isNullAt(ordinal) || s == null) {
      return row.isNullAt(ordinal) && s == null;
    }
    if (!(row instanceof UnsafeRow binary)) {
      return s.equals(row.getUTF8String(ordinal));
    }
    int size = size(binary, ordinal);
    return size == s.numBytes()
        && ByteArrayMethods.arrayEquals(
            binary.getBaseObject(),
            offset(binary, ordinal),
            s.getBaseObject(),
            s.getBaseOffset(),
            size);
  }

  /**
   * The rows' string columns in Spark's ascending order: nulls first, then by their UTF-8 bytes
   * (compared unsigned).
   */
  static int compare(InternalRow a, InternalRow b, int ordinal) {
    if (a.isNullAt(ordinal) || b.isNullAt(ordinal)) {
      return Boolean.compare(!a.isNullAt(ordinal), !b.isNullAt(ordinal));
    }
    if (!(a instanceof UnsafeRow x && b instanceof UnsafeRow y)) {
      return a.getUTF8String(ordinal).compareTo(b.getUTF8String(ordinal));
    }
    long xAt = offset(x, ordinal);
    long yAt = offset(y, ordinal);
    int xSize = size(x, ordinal);
    int ySize = size(y, ordinal);
    for (int i = 0; i < Math.min(xSize, ySize); i++) {
      int d =
          (Platform.getByte(x.getBaseObject(), xAt + i) & 0xFF)
              - (Platform.getByte(y.getBaseObject(), yAt + i) & 0xFF);
      if (d != 0) {
        return d;
      }
    }
    return xSize - ySize;
  }
}
