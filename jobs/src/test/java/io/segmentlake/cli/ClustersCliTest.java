package io.segmentlake.cli;

import static io.segmentlake.cli.CliTest.cli;
import static io.segmentlake.cli.CliTest.manifest;
import static io.segmentlake.cli.CliTest.table;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentlake.AdjustedRand;
import io.segmentlake.JoinKeys;
import io.segmentlake.SharedSpark;
import io.segmentlake.TestData;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clusters command on the committed sample lake: the tables, how well the clusters recover the
 * generator's archetypes, the same result for the same rows in another order, and ids that stay
 * when the next run's data barely moved.
 */
class ClustersCliTest {
  private static final String SAMPLE = TestData.repo().resolve("data-sample/lake").toString();

  @BeforeAll
  static void sharedSession() {
    SharedSpark.session();
  }

  @Test
  void clustersRecoverTheArchetypesAndStayStable(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    assertThat(cli(out, "clusters", "--as-of", "2025-12-31")).isEqualTo(0);
    JsonNode m = manifest(out, "2025-12-31").get("clusters");
    int k = m.get("k").asInt();
    assertThat(k).isBetween(3, 8);
    assertThat(m.get("silhouette_by_k").size()).isEqualTo(6);
    assertThat(m.get("ids_new").asInt()).isEqualTo(k);

    Dataset<Row> clusters = table(out, "customer_clusters");
    Dataset<Row> profiles = table(out, "cluster_profiles");
    long customers = clusters.count();
    assertThat(customers).isEqualTo(m.get("customers").asLong()).isGreaterThan(1900);
    assertThat(profiles.count()).isEqualTo(k);
    Row totals = profiles.agg(sum("customers"), sum("share")).first();
    assertThat(totals.getLong(0)).isEqualTo(customers);
    assertThat(totals.getDouble(1)).isCloseTo(1.0, within(1e-9));
    assertThat(clusters.where(col("cluster_name").isNull().or(col("cluster_id").isNull())).count())
        .isZero();

    Dataset<Row> archetypes =
        SharedSpark.session()
            .read()
            .parquet(SAMPLE + "/customers")
            .select("customer_id", "archetype");
    double ari =
        AdjustedRand.of(
            clusters.join(archetypes, JoinKeys.of("customer_id")), "archetype", "cluster_id");
    assertThat(ari).isGreaterThanOrEqualTo(0.8);

    // The same rows in another order and partitioning: the same assignments and centroids.
    Path shuffled = dir.resolve("shuffled");
    SharedSpark.session()
        .read()
        .parquet(SAMPLE + "/invoices")
        .orderBy(rand(11))
        .repartition(3)
        .write()
        .parquet(shuffled.resolve("invoices").toString());
    Path again = dir.resolve("again");
    assertThat(
            Main.execute(
                "clusters",
                "--as-of",
                "2025-12-31",
                "--set",
                "input.root=\"" + shuffled + "\"",
                "--set",
                "output.root=\"" + again + "\""))
        .isEqualTo(0);
    assertThat(table(again, "customer_clusters").exceptAll(clusters).count()).isZero();
    assertThat(clusters.exceptAll(table(again, "customer_clusters")).count()).isZero();
    assertThat(table(again, "cluster_profiles").exceptAll(profiles).count()).isZero();

    // A week later on the same data every customer is a week older: the clusters keep their ids.
    assertThat(cli(out, "clusters", "--as-of", "2026-01-07", "--set", "clusters.k=" + k))
        .isEqualTo(0);
    JsonNode next = manifest(out, "2026-01-07").get("clusters");
    assertThat(next.get("previous_run_date").asText()).isEqualTo("2025-12-31");
    assertThat(next.get("ids_kept").asInt()).isEqualTo(k);
    Dataset<Row> later =
        table(out, "customer_clusters")
            .where(col("as_of_date").equalTo("2026-01-07"))
            .select(col("customer_id"), col("cluster_id").as("later_id"));
    long same =
        clusters
            .where(col("as_of_date").equalTo("2025-12-31"))
            .join(later, JoinKeys.of("customer_id"))
            .where(col("cluster_id").equalTo(col("later_id")))
            .count();
    assertThat((double) same / customers).isGreaterThan(0.95);
  }
}
