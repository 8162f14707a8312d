package io.segmentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentlake.SharedSpark;
import io.segmentlake.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them, on the committed sample lake, asserting on what they wrote. */
class CliTest {
  private static final String SAMPLE = TestData.repo().resolve("data-sample/lake").toString();

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  static int cli(Path out, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(
        List.of("--set", "input.root=\"" + SAMPLE + "\"", "--set", "output.root=\"" + out + "\""));
    return Main.execute(all.toArray(String[]::new));
  }

  static JsonNode manifest(Path out, String asOf) throws Exception {
    return new ObjectMapper()
        .readTree(out.resolve("_runs/as_of_date=" + asOf + "/manifest.json").toFile());
  }

  static Dataset<Row> table(Path out, String table) {
    return SharedSpark.session().read().parquet(out.resolve(table).toString());
  }

  @Test
  void rfmOnTheSampleLakeWritesScoresThresholdsQuarantineAndAManifestThatAddsUp(@TempDir Path out)
      throws Exception {
    assertThat(cli(out, "rfm", "--as-of", "2025-12-31")).isEqualTo(0);
    JsonNode m = manifest(out, "2025-12-31");
    assertThat(m.get("status").asText()).isEqualTo("published");
    JsonNode counts = m.at("/row_counts/invoices");
    assertThat(counts.get("read").asLong())
        .isEqualTo(
            counts.get("used").asLong()
                + counts.get("excluded").asLong()
                + counts.get("quarantined").asLong());
    assertThat(counts.at("/excluded_by_reason/after as-of date").asLong()).isPositive();
    assertThat(counts.at("/quarantined_by_reason/duplicate line").asLong()).isPositive();

    Dataset<Row> scores = table(out, "rfm_scores");
    assertThat(scores.columns())
        .contains(
            "customer_id",
            "recency_days",
            "frequency",
            "monetary",
            "r_score",
            "f_score",
            "m_score",
            "rfm_cell",
            "rfm_segment",
            "as_of_date");
    long customers = m.at("/rfm/customers_scored").asLong();
    assertThat(scores.count()).isEqualTo(customers).isPositive();
    assertThat(scores.select("customer_id").distinct().count()).isEqualTo(customers);
    assertThat(m.at("/tables_written/rfm_scores/rows").asLong()).isEqualTo(customers);
    for (String stage : List.of("ingest", "rfm", "publish")) {
      assertThat(m.at("/stage_seconds/" + stage).asDouble()).as(stage).isPositive();
      assertThat(m.at("/stage_peak_heap_mib/" + stage).asLong()).as(stage).isPositive();
    }
    assertThat(scores.where("r_score < 1 or r_score > 5 or rfm_segment is null").count()).isZero();
    assertThat(table(out, "rfm_thresholds").count()).isEqualTo(15);
    assertThat(table(out, "quarantine").count()).isEqualTo(counts.get("quarantined").asLong());
  }

  @Test
  void reRunReplacesItsDateAndLeavesOtherDatesAlone(@TempDir Path out) {
    assertThat(cli(out, "rfm", "--as-of", "2025-06-30")).isEqualTo(0);
    assertThat(cli(out, "rfm", "--as-of", "2025-12-31")).isEqualTo(0);
    long june = table(out, "rfm_scores").where("as_of_date = '2025-06-30'").count();
    assertThat(cli(out, "rfm", "--as-of", "2025-12-31")).isEqualTo(0);
    Dataset<Row> scores = table(out, "rfm_scores");
    assertThat(scores.where("as_of_date = '2025-06-30'").count()).isEqualTo(june);
    Dataset<Row> dec = scores.where("as_of_date = '2025-12-31'");
    assertThat(dec.count()).isEqualTo(dec.select("customer_id").distinct().count());
    assertThat(out.resolve("_staging"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  @Test
  void qualityGateFailsWithExit3AndPublishesNothing(@TempDir Path out) {
    int code =
        cli(out, "rfm", "--as-of", "2025-12-31", "--set", "quality.max-quarantined-ratio=0.001");
    assertThat(code).isEqualTo(3);
    assertThat(out.resolve("rfm_scores")).doesNotExist();
    assertThat(out.resolve("_runs/as_of_date=2025-12-31/manifest.json")).doesNotExist();
    assertThat(out.resolve("_runs/as_of_date=2025-12-31/attempts")).isNotEmptyDirectory();
  }

  @Test
  void usageAndConfigurationErrorsExit2AndReportsWithoutScoresExit3(@TempDir Path out) {
    assertThat(Main.execute("frobnicate")).isEqualTo(2);
    assertThat(Main.execute("rfm", "--bogus")).isEqualTo(2);
    assertThat(cli(out, "rfm", "--set", "rfm.binz=3")).isEqualTo(2);
    assertThat(cli(out, "rfm", "--as-of", "31/12/2025")).isEqualTo(2);
    assertThat(cli(out, "rfm", "--config", out.resolve("missing.conf").toString())).isEqualTo(2);
    assertThat(cli(out, "rfm", "--set", "reports.at-risk=[severe]")).isEqualTo(2);
    assertThat(cli(out, "rfm", "--set", "reports.age-bands=[]")).isEqualTo(2);
    // reports assembles what the stages published: without rfm_scores for the date, exit 3.
    assertThat(cli(out, "reports", "--as-of", "2025-12-31")).isEqualTo(3);
    assertThat(out.resolve("customer_segments")).doesNotExist();
  }

  @Test
  void predictWithAHoldoutWritesPredictionsParametersAndTheComparison(@TempDir Path out)
      throws Exception {
    // A holdout longer than the history leaves nobody to calibrate on: exit 3, nothing published.
    assertThat(cli(out, "predict", "--as-of", "2025-12-31", "--holdout-days", "5000")).isEqualTo(3);
    assertThat(out.resolve("customer_predictions")).doesNotExist();
    assertThat(cli(out, "predict", "--as-of", "2025-12-31", "--holdout-days", "180")).isEqualTo(0);
    JsonNode m = manifest(out, "2025-12-31");
    long customers = m.at("/predict/customers").asLong();
    assertThat(m.at("/predict/bgnbd/converged").asBoolean()).isTrue();
    assertThat(m.at("/predict/gamma_gamma/converged").asBoolean()).isTrue();
    Dataset<Row> predictions = table(out, "customer_predictions");
    assertThat(predictions.count()).isEqualTo(customers).isPositive();
    assertThat(predictions.select("customer_id").distinct().count()).isEqualTo(customers);
    // The same customers RFM scores (a purchase up to D), and sensible, ordered values.
    assertThat(
            predictions
                .where(
                    "p_alive < 0 or p_alive > 1 or p_no_purchase_90d < 0 or p_no_purchase_90d > 1"
                        + " or expected_purchases_30d > expected_purchases_90d"
                        + " or expected_purchases_90d > expected_purchases_365d"
                        + " or clv_30d > clv_90d or clv_90d > clv_365d or clv_365d is null"
                        + " or churn_risk not in ('low', 'medium', 'high')")
                .count())
        .isZero();
    Dataset<Row> params = table(out, "model_params");
    assertThat(params.select("model").distinct().count()).isEqualTo(4);
    Dataset<Row> holdout = table(out, "model_holdout");
    assertThat(holdout.count()).isEqualTo(8);
    assertThat(holdout.agg(org.apache.spark.sql.functions.sum("customers")).first().getLong(0))
        .isEqualTo(m.at("/predict/holdout/customers").asLong());
    assertThat(m.at("/tables_written/customer_predictions/rows").asLong()).isEqualTo(customers);
  }

  @Test
  void missingInputAndMissingColumnsExit3(@TempDir Path out) throws Exception {
    assertThat(cli(out, "rfm", "--set", "input.invoices.path=\"" + out.resolve("nope") + "\""))
        .isEqualTo(3);
    assertThat(
            cli(
                out,
                "rfm",
                "--as-of",
                "2025-12-31",
                "--set",
                "input.invoices.columns.quantity=qty"))
        .isEqualTo(3);
    assertThat(Files.exists(out.resolve("rfm_scores"))).isFalse();
  }

  @Test
  void loyaltyAfterRfmThenRunOnALaterDateCarriesTiersForward(@TempDir Path out) throws Exception {
    assertThat(cli(out, "rfm", "--as-of", "2025-06-30")).isEqualTo(0);
    assertThat(cli(out, "loyalty", "--as-of", "2025-06-30")).isEqualTo(0);
    JsonNode june = manifest(out, "2025-06-30");
    assertThat(june.get("command").asText()).isEqualTo("loyalty");
    assertThat(june.at("/loyalty/rules_skipped").size()).isZero();
    assertThat(june.at("/loyalty/previous_run").asBoolean()).isFalse();
    // Interactions before the points window (365 days to 2025-06-30: from 2024-07-01, UTC), and
    // those in it of a type that no rule counts (web_visit, and referral: derived from customers),
    // are counted as excluded, and the counts still add up.
    JsonNode interactions = june.at("/row_counts/interactions");
    Dataset<Row> sample = SharedSpark.session().read().parquet(SAMPLE + "/interactions");
    long before = sample.where("event_ts < timestamp '2024-07-01 00:00:00'").count();
    long notCounted =
        sample
            .where("event_ts >= timestamp '2024-07-01 00:00:00'")
            .where("event_type in ('web_visit', 'referral')")
            .count();
    assertThat(interactions.at("/excluded_by_reason/before the loyalty points window").asLong())
        .isEqualTo(before)
        .isPositive();
    assertThat(interactions.at("/excluded_by_reason/event type earns no loyalty points").asLong())
        .isEqualTo(notCounted)
        .isPositive();
    assertThat(interactions.get("read").asLong())
        .isEqualTo(
            interactions.get("used").asLong()
                + interactions.get("excluded").asLong()
                + interactions.get("quarantined").asLong());
    Dataset<Row> first = table(out, "loyalty_points");
    assertThat(first.where("tier_change <> 'new'").count()).isZero();

    assertThat(cli(out, "run", "--as-of", "2025-12-31")).isEqualTo(0);
    JsonNode dec = manifest(out, "2025-12-31");
    assertThat(dec.at("/loyalty/previous_run_date").asText()).isEqualTo("2025-06-30");
    Dataset<Row> points = table(out, "loyalty_points").where("as_of_date = '2025-12-31'");
    long customers = dec.at("/loyalty/customers").asLong();
    assertThat(points.count()).isEqualTo(customers).isPositive();
    assertThat(points.select("customer_id").distinct().count()).isEqualTo(customers);
    // The families add up to the points, exactly (decimals).
    assertThat(
            points
                .where(
                    "points <> purchase_points + weighting_points + quantity_band_points"
                        + " + recency_points + periodicity_points + customer_type_points"
                        + " + interaction_points + employer_share_points")
                .count())
        .isZero();
    assertThat(points.where("tier_change = 'up'").count()).isPositive();
    assertThat(points.where("tier_change = 'same'").count()).isPositive();
    // With two runs of grace, nobody drops from June to December in one run.
    assertThat(points.where("tier_change = 'down'").count()).isZero();
    assertThat(points.where("tier = 'Gold' and points < 500").count())
        .isEqualTo(points.where("tier = 'Gold' and runs_below_tier > 0").count());
    Dataset<Row> special = table(out, "special_customers").where("as_of_date = '2025-12-31'");
    assertThat(
            special.select("special_group").distinct().collectAsList().stream()
                .map(r -> r.getString(0))
                .toList())
        .contains("top_buyer", "bought_high_margin", "vip", "lapsed");
    assertThat(special.where("reason is null or customer_id is null").count()).isZero();
    assertThat(
            points
                .where("array_contains(special_groups, 'vip')")
                .where("tier <> 'Gold' or rfm_segment not in ('Champions', 'Loyal')")
                .count())
        .isZero();
    assertThat(dec.at("/tables_written/special_customers/rows").asLong())
        .isEqualTo(special.count());
    // run also predicts, for every customer RFM scored who bought (not only returned).
    assertThat(table(out, "customer_predictions").where("as_of_date = '2025-12-31'").count())
        .isEqualTo(
            dec.at("/rfm/customers_scored").asLong()
                - dec.at("/rfm/customers_with_only_returns").asLong());
    assertThat(dec.at("/stage_seconds/reports").asDouble()).isPositive();

    // A later rfm for the same date replaces the invoices' quarantine rows only.
    assertThat(cli(out, "rfm", "--as-of", "2025-12-31")).isEqualTo(0);
    for (String source : List.of("invoices", "products", "customers", "interactions")) {
      assertThat(out.resolve("quarantine/as_of_date=2025-12-31/source_table=" + source))
          .isDirectory();
    }
    assertThat(
            table(out, "quarantine")
                .where("as_of_date = '2025-12-31' and source_table = 'invoices'")
                .count())
        .isEqualTo(dec.at("/row_counts/invoices/quarantined").asLong())
        .isPositive();
  }

  @Test
  void loyaltyWithoutRfmScoresSkipsTheRulesThatNeedThem(@TempDir Path out) throws Exception {
    assertThat(cli(out, "loyalty", "--as-of", "2025-12-31")).isEqualTo(0);
    JsonNode m = manifest(out, "2025-12-31");
    assertThat(m.at("/loyalty/rules_skipped").toString())
        .contains("vip", "lapsed", "run rfm first");
    assertThat(table(out, "special_customers").where("special_group = 'vip'").count()).isZero();
  }

  @Test
  void validateReadsEverythingAndWritesNothing(@TempDir Path out) {
    assertThat(cli(out, "validate", "--as-of", "2025-12-31")).isEqualTo(0);
    assertThat(out).isEmptyDirectory();
  }
}
