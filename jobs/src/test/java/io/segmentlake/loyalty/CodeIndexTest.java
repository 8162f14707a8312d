package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class CodeIndexTest {
  private static int get(CodeIndex index, String code) {
    return index.get(code == null ? null : UTF8String.fromString(code));
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
