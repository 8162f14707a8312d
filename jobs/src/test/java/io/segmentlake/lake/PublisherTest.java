package io.segmentlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmentlake.JobFailure;
import io.segmentlake.SharedSpark;
import io.segmentlake.lake.Publisher.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
  private static final LocalDate AS_OF = LocalDate.parse("2025-12-31");

  @TempDir Path out;

  private Publisher publisher(SparkSession spark) {
    return new Publisher(spark, out.toString(), 10, AS_OF, "run-1");
  }

  private Path live(String table) {
    return out.resolve(table + "/as_of_date=" + AS_OF);
  }

  @Test
  void tablesStagedTogetherAreWrittenRecordedInOrderAndPublished() {
    SparkSession spark = SharedSpark.session();
    Publisher publisher = publisher(spark);

    Map<String, Map<String, Long>> written =
        publisher.stage(
            List.of(
                new Table("big", spark.range(0, 25, 1, 4).toDF(), 25),
                new Table("small", spark.range(3).toDF(), 3)));

    assertThat(written.keySet()).containsExactly("big", "small");
    // 25 expected rows at 10 per file: 3 files.
    assertThat(written.get("big")).isEqualTo(Map.of("rows", 25L, "files", 3L));
    assertThat(written.get("small")).isEqualTo(Map.of("rows", 3L, "files", 1L));
    assertThat(publisher.staged("small"))
        .hasValueSatisfying(t -> assertThat(t.count()).isEqualTo(3));
    assertThat(Files.exists(live("big"))).isFalse();
    publisher.commit();
    assertThat(spark.read().parquet(live("big").toString()).count()).isEqualTo(25);
    assertThat(spark.read().parquet(live("small").toString()).count()).isEqualTo(3);
  }

  @Test
  void aTableThatFailsToWriteFailsTheStagingAndNothingIsPublished() {
    SparkSession spark = SharedSpark.session();
    Publisher publisher = publisher(spark);

    assertThatThrownBy(
            () ->
                publisher.stage(
                    List.of(
                        new Table("broken", spark.range(3).selectExpr("raise_error('no disk')"), 3),
                        new Table("good", spark.range(3).toDF(), 3))))
        .isInstanceOfSatisfying(
            JobFailure.class, e -> assertThat(e.exitCode()).isEqualTo(JobFailure.PUBLISH_FAILED))
        .hasMessageContaining("could not write table 'broken'")
        .hasMessageContaining("no disk");
    // The failure is thrown once the other write has ended; nothing is recorded as staged.
    assertThat(out.resolve("_staging/run-1/good/as_of_date=" + AS_OF + "/_SUCCESS")).exists();
    assertThat(publisher.staged("good")).isEmpty();
    publisher.commit();
    assertThat(Files.exists(live("good"))).isFalse();
  }

  @Test
  void aTableStagedTwiceInOneCallIsRefused() {
    SparkSession spark = SharedSpark.session();
    assertThatThrownBy(
            () ->
                publisher(spark)
                    .stage(
                        List.of(
                            new Table("t", spark.range(1).toDF(), 1),
                            new Table("t", spark.range(2).toDF(), 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'t' is staged twice");
  }
}
