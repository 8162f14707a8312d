package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class CodeIndexTest {
  /**
   * The code's value, looked up in a binary row (as the cached rows are read) and a generic one.
   */
  private static int get(CodeIndex index, String code) {
    InternalRow row =
        new GenericInternalRow(new Object[] {code == null ? null : UTF8String.fromString(code)});
    int value = index.get(row, 0);
    UnsafeRow binary =
        UnsafeProjection.create(new StructType().add("code", DataTypes.StringType)).apply(row);
    assertThat(index.get(binary, 0)).isEqualTo(value);
    return value;
  }

  @Test
  void codesAreReadTrimmedOfSpacesAndInLowerCase() {
    CodeIndex channels = new CodeIndex(Map.of("web", 1, "store", 0), -1);
    assertThat(get(channels, "web")).isEqualTo(1);
    assertThat(get(channels, "store")).isZero();
    assertThat(get(channels, " Web ")).isEqualTo(1);
    assertThat(get(channels, "WEB")).isEqualTo(1);
    // Only spaces are trimmed, as Spark SQL's trim does.
    assertThat(get(channels, "\tweb")).isEqualTo(-1);
    assertThat(get(channels, "phone")).isEqualTo(-1);
    assertThat(get(channels, "")).isEqualTo(-1);
    assertThat(get(channels, null)).isEqualTo(-1);
  }

  @Test
  void aKnownFormMustBeTrimmedAndInLowerCase() {
    assertThatThrownBy(() -> new CodeIndex(Map.of("Web", 1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Web'");
  }
}
