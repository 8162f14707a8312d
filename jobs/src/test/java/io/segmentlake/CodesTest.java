package io.segmentlake;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Codes are compared trimmed and in lower case, whether written in a listed form or not. */
class CodesTest {
  @Test
  void aCodeIsTrimmedAndLowerCasedUnlessWrittenExactlyInAListedForm() {
    List<String> written = Arrays.asList("web", " Web ", "WEB", "store", "Store", "web ", null, "");
    List<Row> rows = new ArrayList<>();
    written.forEach(w -> rows.add(RowFactory.create(w)));
    List<Row> out =
        Fixtures.rows(new StructType().add("channel", DataTypes.StringType), rows)
            .select(Codes.normalized(col("channel"), Codes.CHANNELS), Codes.isWeb(col("channel")))
            .collectAsList();
    List<String> normalized = out.stream().map(r -> r.getString(0)).toList();
    assertThat(normalized).containsExactly("web", "web", "web", "store", "store", "web", null, "");
    List<Boolean> web = out.stream().map(r -> r.isNullAt(1) ? null : r.getBoolean(1)).toList();
    assertThat(web).containsExactly(true, true, true, false, false, true, null, false);
  }

  @Test
  void aFormThatIsNotTrimmedAndLowerCaseIsRefused() {
    assertThatThrownBy(() -> Codes.normalized(col("channel"), List.of("Web")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Web'");
    assertThatThrownBy(() -> Codes.normalized(col("channel"), List.of("web ")))
        .isInstanceOf(IllegalArgumentException.class);
    // Trimmed as Spark trims (spaces only), as a configured event's name may end otherwise.
    Codes.normalized(col("event_type"), List.of("club_login\u2003"));
  }
}
