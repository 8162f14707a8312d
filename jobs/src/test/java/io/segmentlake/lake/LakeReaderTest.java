package io.segmentlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeReaderTest {
  @TempDir Path out;

  private Optional<LocalDate> previous(LakeReader lake, String table, String before) {
    return lake.latestBefore(out.toString(), table, LocalDate.parse(before)).map(Map.Entry::getKey);
  }

  @Test
  void thePreviousRunIsTheLatestEarlierDateWhoseRunMarkerExists() throws IOException {
    SparkSession spark = SharedSpark.session();
    for (String date : List.of("2025-12-10", "2025-12-17", "2025-12-24")) {
      spark.range(3).write().parquet(out.resolve("loyalty_points/as_of_date=" + date).toString());
    }
    // 12-10 and 12-17 were published; the run of 12-24 stopped after its swap, before its marker.
    for (String date : List.of("2025-12-10", "2025-12-17")) {
      Path marker = out.resolve("_runs/as_of_date=" + date + "/manifest.json");
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "{}");
    }
    LakeReader lake = new LakeReader(spark);

    assertThat(previous(lake, "loyalty_points", "2025-12-31"))
        .contains(LocalDate.parse("2025-12-17"));
    assertThat(previous(lake, "loyalty_points", "2025-12-17"))
        .contains(LocalDate.parse("2025-12-10"));
    assertThat(previous(lake, "loyalty_points", "2025-12-10")).isEmpty();
    assertThat(previous(lake, "cluster_profiles", "2025-12-31")).isEmpty();
    assertThat(lake.latestBefore(out.toString(), "loyalty_points", LocalDate.parse("2025-12-31")))
        .hasValueSatisfying(e -> assertThat(e.getValue().count()).isEqualTo(3));
  }
}
