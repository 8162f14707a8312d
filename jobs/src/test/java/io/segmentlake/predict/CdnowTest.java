package io.segmentlake.predict;

import static io.segmentlake.predict.ModelFitTest.threeFigures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmentlake.Fixtures;
import io.segmentlake.TestData;
import io.segmentlake.config.PredictSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole predict stage on the CDNOW sample's 6,919 transactions (datasets/cdnow), from invoice
 * lines to the published parameters and per-customer numbers: weeks, 39-week calibration ending
 * 1997-09-30, same-day purchases merged.
 */
class CdnowTest {
  private static final LocalDate CALIBRATION_END = LocalDate.parse("1997-09-30");
  private static final LocalDate HOLDOUT_END = LocalDate.parse("1998-06-30");

  private static Dataset<Row> lines;
  private static PredictStage.Result calibration;
  private static Map<String, Row> predictions;

  @BeforeAll
  static void run() throws IOException {
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (String l : Files.readAllLines(TestData.shared("datasets/cdnow/CDNOW_sample.txt"))) {
      String[] f = l.trim().split("\\s+");
      LocalDate day = LocalDate.parse(f[2], java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
      // One line per transaction: quantity 1 at the dollar value, so the amount is exact.
      rows.add(
          RowFactory.create(
              "i" + n++,
              Integer.toString(Integer.parseInt(f[1])),
              Timestamp.valueOf(day.atTime(10, 0)),
              "cd",
              1,
              Double.parseDouble(f[4])));
    }
    lines = Fixtures.rows(Fixtures.INVOICES, rows).cache();
    calibration = PredictStage.run(lines, CALIBRATION_END, settings());
    predictions =
        calibration.predictions().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
  }

  @AfterAll
  static void release() {
    calibration.release().run();
    lines.unpersist();
  }

  static PredictSettings settings(String... sets) {
    List<String> all =
        new ArrayList<>(List.of("predict.time-unit=weeks", "predict.horizons-days=[273, 364]"));
    all.addAll(List.of(sets));
    return Fixtures.settings(all.toArray(String[]::new)).predict();
  }

  private static Map<String, Double> params(Dataset<Row> table, String model) {
    return table.where(table.col("model").equalTo(model)).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(1), r -> r.getDouble(2)));
  }

  @Test
  void summariesMatchTheCalibrationTable() {
    assertThat(predictions).hasSize(2357);
    assertThat(predictions.values().stream().mapToInt(r -> r.<Integer>getAs("x")).sum())
        .isEqualTo(2457);
    Row first = predictions.get("1");
    assertThat((Integer) first.getAs("x")).isEqualTo(2);
    assertThat((Double) first.getAs("t_x")).isCloseTo(30.4285714286, within(1e-9));
    assertThat((Double) first.getAs("t_cal")).isCloseTo(38.8571428571, within(1e-9));
    assertThat(((BigDecimal) first.getAs("mean_repeat_spend")).doubleValue()).isEqualTo(22.35);
    assertThat(first.<String>getAs("time_unit")).isEqualTo("weeks");
  }

  @Test
  void parametersMatchThePublishedFits() {
    Map<String, Double> bg = params(calibration.params(), "bgnbd");
    assertThat(threeFigures(bg.get("r"))).isEqualTo(0.243);
    assertThat(threeFigures(bg.get("alpha"))).isEqualTo(threeFigures(4.414));
    assertThat(threeFigures(bg.get("a"))).isEqualTo(0.793);
    assertThat(threeFigures(bg.get("b"))).isEqualTo(threeFigures(2.426));
    assertThat(bg.get("log_likelihood")).isCloseTo(-9582.43, within(0.01));
    assertThat(bg.get("converged")).isEqualTo(1.0);
    assertThat(bg.get("customers")).isEqualTo(2357.0);
    Map<String, Double> gg = params(calibration.params(), "gamma_gamma");
    assertThat(threeFigures(gg.get("p"))).isEqualTo(6.25);
    assertThat(threeFigures(gg.get("q"))).isEqualTo(3.74);
    assertThat(threeFigures(gg.get("gamma"))).isEqualTo(threeFigures(15.44));
    assertThat(gg.get("log_likelihood")).isCloseTo(-4055.92, within(0.01));
    assertThat(gg.get("customers")).isEqualTo(946.0);
    assertThat(gg.get("population_mean_spend")).isCloseTo(35.1704, within(0.001));
  }

  @Test
  void perCustomerValuesMatchThePublishedOnes() {
    // E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (Hardie's spreadsheet).
    assertThat(threeFigures(predictions.get("1").getAs("expected_purchases_273d")))
        .isEqualTo(threeFigures(1.226));
    // Customer 1516: P(alive) 0.9689, E[Y(52)] 25.757 (BTYD walkthrough).
    Row c1516 = predictions.get("1516");
    assertThat((Integer) c1516.getAs("x")).isEqualTo(26);
    assertThat(threeFigures(c1516.getAs("p_alive"))).isEqualTo(threeFigures(0.9689));
    assertThat(threeFigures(c1516.getAs("expected_purchases_364d")))
        .isEqualTo(threeFigures(25.757));
    assertThat((Double) predictions.get("3").getAs("p_alive")).isEqualTo(1.0);
  }

  @Test
  void expectedSpendMatchesTheSpreadsheet() {
    double[] published = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
    for (int i = 0; i < published.length; i++) {
      BigDecimal spend = predictions.get(Integer.toString(i + 1)).getAs("expected_avg_spend");
      assertThat(spend.doubleValue()).as("customer %d", i + 1).isCloseTo(published[i], within(0.1));
    }
  }

  @Test
  void holdoutMatchesTheFrequencyTable() {
    PredictStage.Result r =
        PredictStage.run(lines, HOLDOUT_END, settings("predict.holdout-days=273"));
    try {
      Map<String, Double> cal = params(r.params(), "bgnbd_calibration");
      assertThat(threeFigures(cal.get("r"))).isEqualTo(0.243);
      assertThat(threeFigures(cal.get("b"))).isEqualTo(threeFigures(2.426));
      Map<String, Double> holdout = params(r.params(), "bgnbd_holdout");
      assertThat(holdout.get("customers")).isEqualTo(2357.0);
      assertThat(holdout.get("actual_total")).isEqualTo(1882.0);
      assertThat(holdout.get("predicted_total")).isCloseTo(1653.4, within(0.5));
      List<Row> bins = r.holdout().orElseThrow().collectAsList();
      double[] expected = {
        0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036
      };
      double[] actual = {0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359};
      long[] customers = {1411, 439, 214, 100, 62, 38, 29, 64};
      assertThat(bins).hasSize(8);
      for (int i = 0; i < 8; i++) {
        Row bin = bins.get(i);
        assertThat(bin.getString(0)).isEqualTo(i == 7 ? "7+" : Integer.toString(i));
        assertThat(bin.getLong(1)).isEqualTo(customers[i]);
        assertThat(bin.getDouble(2)).isCloseTo(actual[i], within(0.0005));
        assertThat(threeFigures(bin.getDouble(3))).isEqualTo(threeFigures(expected[i]));
      }
    } finally {
      r.release().run();
    }
  }
}
