package io.segmentlake.rfm;

import static io.segmentlake.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.Fixtures;
import io.segmentlake.SharedSpark;
import io.segmentlake.config.ConfigLoader;
import io.segmentlake.config.RfmSettings;
import io.segmentlake.config.Settings;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hand-computed RFM expectations, one edge case per test. */
class RfmStageTest {
  private static final LocalDate AS_OF = LocalDate.parse("2024-01-31");

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  static RfmSettings settings(String... sets) {
    List<String> all = new ArrayList<>(List.of("rfm.lookback-days=365"));
    all.addAll(Arrays.asList(sets));
    return Settings.from(ConfigLoader.load(Optional.empty(), all)).rfm();
  }

  private static final String[] THREE_BINS = {
    "rfm.method=thresholds",
    "rfm.bins=3",
    "rfm.thresholds.recency=[10, 30]",
    "rfm.thresholds.frequency=[2, 4]",
    "rfm.thresholds.monetary=[100, 500]",
    "rfm.segments=[{name = Best, r = [3, 3], f = [2, 3]}, {name = Big, m = [2, 3]}]"
  };

  static Map<String, Row> byCustomer(Dataset<Row> scores) {
    return scores.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
  }

  static String summary(Row r) {
    return String.format(
        "%s r=%d f=%d m=%s %d%d%d %s",
        r.getAs("customer_id"),
        (Integer) r.getAs("recency_days"),
        (Long) r.getAs("frequency"),
        ((BigDecimal) r.getAs("monetary")).toPlainString(),
        (Integer) r.getAs("r_score"),
        (Integer) r.getAs("f_score"),
        (Integer) r.getAs("m_score"),
        r.getAs("rfm_segment"));
  }

  @Test
  void thresholdsScoreTiesReturnsSinglePurchasesAndOnlyReturnsByHand() {
    Dataset<Row> invoices =
        Fixtures.invoices(
            // A: last purchase 10 days ago, 2 invoices, 100.00 in all: every value on a cut point.
            line("a1", "A", "2024-01-21T10:00", 1, 60.0),
            line("a2", "A", "2024-01-02T10:00", 2, 20.0),
            // B: 9 days, one invoice of 99.99: just below every cut point.
            line("b1", "B", "2024-01-22T18:00", 1, 99.99),
            // C: buys 3 x 200 (30 days ago), returns one later: one purchase invoice, 400 net.
            line("c1", "C", "2024-01-01T09:00", 3, 200.0),
            line("c2", "C", "2024-01-05T09:00", -1, 200.0),
            // D: only a return: not scored, counted.
            line("d1", "D", "2024-01-10T09:00", -1, 50.0),
            // E: one purchase before the 365-day window: frequency and monetary 0.
            line("e1", "E", "2022-01-01T09:00", 1, 1000.0));
    RfmStage.Result result = RfmStage.run(invoices, AS_OF, settings(THREE_BINS));
    Map<String, Row> scores = byCustomer(result.scores());
    assertThat(scores.keySet()).containsExactlyInAnyOrder("A", "B", "C", "E");
    assertThat(summary(scores.get("A"))).isEqualTo("A r=10 f=2 m=100.00 222 Big");
    assertThat(summary(scores.get("B"))).isEqualTo("B r=9 f=1 m=99.99 311 Others");
    assertThat(summary(scores.get("C"))).isEqualTo("C r=30 f=1 m=400.00 112 Big");
    assertThat(summary(scores.get("E"))).isEqualTo("E r=760 f=0 m=0.00 111 Others");
    assertThat(result.summary())
        .containsEntry("customers_scored", 4L)
        .containsEntry("customers_with_only_returns", 1L);
    result.release().run();
  }

  @Test
  void thresholdsTablePublishesTheRangeOfEveryScore() {
    RfmStage.Result result =
        RfmStage.run(
            Fixtures.invoices(line("a1", "A", "2024-01-21T10:00", 1, 60.0)),
            AS_OF,
            settings(THREE_BINS));
    List<String> rows =
        result.thresholds().collectAsList().stream()
            .map(r -> r.getString(0) + " " + r.getInt(1) + " " + r.get(2) + ".." + r.get(3))
            .toList();
    assertThat(rows)
        .containsExactly(
            "recency_days 3 null..10.0",
            "recency_days 2 10.0..30.0",
            "recency_days 1 30.0..null",
            "frequency 1 null..2.0",
            "frequency 2 2.0..4.0",
            "frequency 3 4.0..null",
            "monetary 1 null..100.0",
            "monetary 2 100.0..500.0",
            "monetary 3 500.0..null");
    result.release().run();
  }

  @Test
  void recencyInWeeksAndMonetaryPerMonth() {
    RfmSettings rfm =
        settings(
            "rfm.method=thresholds",
            "rfm.bins=2",
            "rfm.lookback-days=730",
            "rfm.thresholds.recency=[2]",
            "rfm.thresholds.recency-unit=weeks",
            "rfm.thresholds.frequency=[1]",
            "rfm.thresholds.monetary=[10]",
            "rfm.thresholds.monetary-per=month",
            "rfm.segments=[]");
    // 730 days = 23.98 months: 240 in the window is 10.01 per month (upper bin), 239 is 9.97.
    Dataset<Row> invoices =
        Fixtures.invoices(
            line("x1", "X", "2024-01-17T10:00", 1, 240.0), // 14 days = 2 weeks: upper bin, R = 1
            line("y1", "Y", "2024-01-18T10:00", 1, 239.0)); // 13 days: R = 2
    Map<String, Row> scores = byCustomer(RfmStage.run(invoices, AS_OF, rfm).scores());
    assertThat(summary(scores.get("X"))).isEqualTo("X r=14 f=1 m=240.00 122 Others");
    assertThat(summary(scores.get("Y"))).isEqualTo("Y r=13 f=1 m=239.00 221 Others");
  }

  @Test
  void quantileScoresNeverSplitTiesAndEqualValuesStayInTheLowerBin() {
    // Frequencies 1,1,1,1,1,1,2,2,3,10: quantiles at 20/40/60/80 % are 1,1,1,2; cut points 2,2,2,3.
    int[] invoicesPerCustomer = {1, 1, 1, 1, 1, 1, 2, 2, 3, 10};
    List<Row> lines = new ArrayList<>();
    for (int c = 0; c < invoicesPerCustomer.length; c++) {
      for (int i = 0; i < invoicesPerCustomer[c]; i++) {
        lines.add(line("i" + c + "-" + i, "C" + c, "2024-01-30T10:00", 1, 10.0));
      }
    }
    RfmStage.Result result =
        RfmStage.run(Fixtures.invoices(lines.toArray(Row[]::new)), AS_OF, settings());
    Map<String, Row> scores = byCustomer(result.scores());
    for (int c = 0; c < 6; c++) {
      assertThat((Integer) scores.get("C" + c).getAs("f_score")).isEqualTo(1);
    }
    assertThat((Integer) scores.get("C6").getAs("f_score")).isEqualTo(4);
    assertThat((Integer) scores.get("C7").getAs("f_score")).isEqualTo(4);
    assertThat((Integer) scores.get("C8").getAs("f_score")).isEqualTo(5);
    assertThat((Integer) scores.get("C9").getAs("f_score")).isEqualTo(5);
    // Everyone bought the day before: one recency value (1, below the cut 2), one score for all.
    assertThat(scores.values().stream().map(r -> (Integer) r.getAs("r_score")).distinct())
        .containsExactly(5);
    assertThat(result.summary().get("cut_points").toString()).contains("cuts=[2.0, 2.0, 2.0, 3.0]");
    result.release().run();
  }

  @Test
  void nobodyInTheWindowScoresOneOnFrequencyAndMonetary() {
    Dataset<Row> invoices =
        Fixtures.invoices(
            line("a", "A", "2020-01-01T10:00", 1, 10.0),
            line("b", "B", "2021-06-01T10:00", 5, 10.0),
            line("c", "C", "2022-12-01T10:00", 1, 99.0));
    Map<String, Row> scores = byCustomer(RfmStage.run(invoices, AS_OF, settings()).scores());
    assertThat(scores.values())
        .allSatisfy(
            r -> {
              assertThat((Integer) r.getAs("f_score")).isEqualTo(1);
              assertThat((Integer) r.getAs("m_score")).isEqualTo(1);
            });
    assertThat((Integer) scores.get("C").getAs("r_score"))
        .isGreaterThan((Integer) scores.get("A").getAs("r_score"));
  }

  @Test
  void defaultSegmentMapNamesEveryCell() {
    Dataset<Row> invoices = Fixtures.invoices(line("a", "A", "2024-01-30T10:00", 1, 10.0));
    Row a = byCustomer(RfmStage.run(invoices, AS_OF, settings()).scores()).get("A");
    // A lone customer sits at every quantile: 1 day recency is below the cut (2), scoring 5.
    assertThat(summary(a)).isEqualTo("A r=1 f=1 m=10.00 511 New Customers");
  }
}
