package io.segmentlake.loyalty;

import io.segmentlake.Codes;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A value per code (channel, event type), looked up in Spark's internal rows as {@link
 * Codes#normalized(String)} reads codes: trimmed of spaces and in lower case. A code written
 * exactly as one of the known forms (most are) is found by its UTF-8 bytes, without a String; any
 * other is normalized first.
 */
final class CodeIndex implements Serializable {
  private final StringIndex forms = new StringIndex();
  private final int[] values;
  private final int none;

  /**
   * The values of the known forms (each trimmed and in lower case); {@code none} for other codes
   * and null.
   */
  CodeIndex(Map<String, Integer> byForm, int none) {
    this.none = none;
    this.values = new int[byForm.size()];
    byForm.forEach(
        (form, value) -> {
          if (!form.equals(Codes.normalized(form))) {
            throw new IllegalArgumentException("not a trimmed lower-case form: '" + form + "'");
          }
          values[forms.add(UTF8String.fromString(form))] = value;
        });
  }

  /** The value of the code in a row's string column (none when the column is null). */
  int get(InternalRow row, int ordinal) {
    if (row.isNullAt(ordinal)) {
      return none;
    }
    int known = forms.indexOf(row, ordinal);
    if (known < 0) {
      String code = row.getUTF8String(ordinal).toString();
      known = forms.indexOf(UTF8String.fromString(Codes.normalized(code)));
    }
    return known < 0 ? none : values[known];
  }
}
