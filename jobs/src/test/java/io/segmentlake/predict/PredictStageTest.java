package io.segmentlake.predict;

import static io.segmentlake.Fixtures.line;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmentlake.Fixtures;
import io.segmentlake.SharedSpark;
import io.segmentlake.config.PredictSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Summaries, likelihoods and scoring on hand-made customers with hand-computed expectations. */
class PredictStageTest {
  private static final LocalDate AS_OF = LocalDate.parse("2024-01-31");

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  private static Map<String, Row> byCustomer(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
  }

  @Test
  void summariesMergeTheDayNetItsReturnsAndIgnoreReturnOnlyDays() {
    Dataset<Row> lines =
        Fixtures.invoices(
            line("i1", "A", "2024-01-01T09:00", 2, 10.0), // first purchase: 20
            line("i2", "A", "2024-01-01T18:00", 1, 5.0), // same day: merged, 25
            line("i3", "A", "2024-01-08T10:00", 3, 10.0), // repeat: 30 - 10 returned = 20
            line("i4", "A", "2024-01-08T11:00", -1, 10.0),
            line("i5", "A", "2024-01-15T10:00", -2, 10.0), // only returns: not a purchase
            line("i6", "A", "2024-01-22T10:00", 1, 0.0), // a free item is a purchase of 0
            line("i7", "B", "2024-01-31T23:00", 1, 50.0), // bought on the as-of day: T = 0
            line("i8", "C", "2024-01-10T10:00", -1, 5.0), // only returns: no summary
            line("i9", "D", "2024-01-02T10:00", 1, 5.0), // first day nets to 5 - 20 = -15
            line("i10", "D", "2024-01-02T12:00", -2, 10.0),
            line("i11", "D", "2024-01-09T10:00", 1, 20.0)); // repeat: 20
    Map<String, Row> s = byCustomer(Summaries.calibration(lines, AS_OF, AS_OF));
    assertThat(s).containsOnlyKeys("A", "B", "D");
    Row a = s.get("A");
    assertThat((Integer) a.getAs("x")).isEqualTo(2);
    assertThat((Integer) a.getAs("t_x_days")).isEqualTo(21);
    assertThat((Integer) a.getAs("t_cal_days")).isEqualTo(30);
    assertThat((Double) a.getAs("mean_repeat_spend")).isEqualTo(10.0); // (20 + 0) / 2
    assertThat(a.getAs("first_purchase_date").toString()).isEqualTo("2024-01-01");
    assertThat(a.getAs("last_purchase_date").toString()).isEqualTo("2024-01-22");
    assertThat((Integer) a.getAs("holdout_purchases")).isZero();
    Row b = s.get("B");
    assertThat((Integer) b.getAs("x")).isZero();
    assertThat((Integer) b.getAs("t_cal_days")).isZero();
    assertThat((Double) b.getAs("mean_repeat_spend")).isZero();
    Row d = s.get("D");
    assertThat((Integer) d.getAs("x")).isEqualTo(1);
    assertThat((Double) d.getAs("mean_repeat_spend")).isEqualTo(20.0); // (-15 + 20 - (-15)) / 1
  }

  @Test
  void holdoutPurchasesStayOutOfTheCalibration() {
    Dataset<Row> lines =
        Fixtures.invoices(
            line("i1", "A", "2024-01-01T10:00", 1, 10.0),
            line("i2", "A", "2024-01-20T10:00", 1, 10.0),
            line("i3", "A", "2024-01-21T10:00", 1, 99.0), // after the calibration end
            line("i5", "A", "2024-01-22T10:00", -1, 99.0), // a return only: no holdout purchase
            line("i6", "A", "2024-01-23T10:00", -1, 10.0), // a return and a purchase that day
            line("i7", "A", "2024-01-23T11:00", 1, 5.0),
            line("i4", "B", "2024-01-25T10:00", 1, 10.0)); // first bought in the holdout
    LocalDate end = LocalDate.parse("2024-01-20");
    Map<String, Row> cal = byCustomer(Summaries.calibration(lines, end, AS_OF));
    assertThat(cal).containsOnlyKeys("A");
    assertThat((Integer) cal.get("A").getAs("x")).isEqualTo(1);
    assertThat((Integer) cal.get("A").getAs("t_cal_days")).isEqualTo(19);
    assertThat((Double) cal.get("A").getAs("mean_repeat_spend")).isEqualTo(10.0);
    assertThat((Integer) cal.get("A").getAs("holdout_purchases")).isEqualTo(2);
  }

  @Test
  void likelihoodsAtFixedParametersEqualTheHandComputedValues() {
    // r = α = a = b = 1. x = 0, T = 1: LL = −ln 2.
    BgNbd single = new BgNbd(new int[] {0}, new double[] {0}, new double[] {1}, new double[] {1});
    assertThat(single.logLikelihood(1, 1, 1, 1)).isCloseTo(-Math.log(2), within(1e-12));
    // x = 1, t_x = 1, T = 2: LL = ln Γ(2) − ln Γ(1) + ln B(1, 2) − ln B(1, 1) + ln(3^−2 + 2^−2)
    //   = −ln 2 + ln(1/9 + 1/4) = −1.711714...; two such customers count twice.
    BgNbd repeat = new BgNbd(new int[] {1}, new double[] {1}, new double[] {2}, new double[] {2});
    double expected = 2 * (-Math.log(2) + Math.log(1.0 / 9 + 1.0 / 4));
    assertThat(repeat.logLikelihood(1, 1, 1, 1)).isCloseTo(expected, within(1e-12));
    // Gamma-Gamma p = q = γ = 1, x = 1, m = 10: LL = ln Γ(2) − 2 ln Γ(1) + 0 + 0 − 2 ln 11.
    GammaGamma gg = new GammaGamma(new int[] {1}, new double[] {10}, new double[] {1});
    assertThat(gg.logLikelihood(1, 1, 1)).isCloseTo(-2 * Math.log(11), within(1e-12));
  }

  @Test
  void theFitDoesNotDependOnTheOrderOfTheGroups() {
    // Many groups of very different sizes: summed in another order, their doubles would differ.
    Random random = new Random(11);
    List<Row> groups = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      int t = 1 + random.nextInt(700);
      int tx = random.nextInt(t + 1);
      int x = tx == 0 ? 0 : 1 + random.nextInt(1 + tx / 7);
      groups.add(RowFactory.create(x, tx, t, 1L + (long) Math.pow(10, 5 * random.nextDouble())));
    }
    List<Row> reversed = new ArrayList<>(groups);
    Collections.reverse(reversed);
    Collections.shuffle(groups, random);
    PredictSettings settings = Fixtures.settings().predict();
    Fit one = Models.bgnbd(groups, settings, "test");
    Fit other = Models.bgnbd(reversed, settings, "test");
    assertThat(other.values()).containsExactly(one.values());
    assertThat(other.logLikelihood()).isEqualTo(one.logLikelihood());
  }

  @Test
  void theLikelihoodStaysFiniteForEdgeCustomers() {
    // Very large x, t_x = T, a one-day tenure, and x = 0.
    BgNbd edge =
        new BgNbd(
            new int[] {5000, 3, 0, 1},
            new double[] {700, 400, 0, 1},
            new double[] {700, 400, 1, 1},
            new double[] {1, 1, 1, 1});
    double ll = edge.logLikelihood(0.243, 4.414, 0.793, 2.426);
    assertThat(Double.isFinite(ll)).isTrue();
    double[] gradient = new double[4];
    edge.meanNegativeLogLikelihood(new double[] {0, 0, 0, 0}, gradient);
    for (double g : gradient) {
      assertThat(Double.isFinite(g)).isTrue();
    }
  }

  @Test
  void theSeriesEqualsAClosedForm() {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
    StructType schema = new StructType().add("z", DataTypes.DoubleType);
    Dataset<Row> z =
        Fixtures.rows(
            schema,
            List.of(RowFactory.create(0.1), RowFactory.create(0.9), RowFactory.create(0.99)));
    List<Row> rows =
        z.select(col("z"), Scoring.hypergeometric(1, 1, lit(2.0), col("z"))).collectAsList();
    for (Row r : rows) {
      double v = r.getDouble(0);
      assertThat(r.getDouble(1)).isCloseTo(-Math.log(1 - v) / v, within(1e-9));
    }
  }

  @Test
  void scoringIsFiniteAndOrderedForEdgeCustomers() {
    Fit bg =
        new Fit(
            BgNbd.MODEL,
            BgNbd.PARAMETERS,
            new double[] {0.243, 4.414, 0.793, 2.426},
            0,
            0,
            true,
            1,
            1,
            1,
            1,
            0);
    StructType schema =
        new StructType()
            .add("x", DataTypes.DoubleType)
            .add("t_x", DataTypes.DoubleType)
            .add("t", DataTypes.DoubleType);
    Dataset<Row> customers =
        Fixtures.rows(
            schema,
            List.of(
                RowFactory.create(0.0, 0.0, 0.0),
                RowFactory.create(5000.0, 100.0, 100.0),
                RowFactory.create(5000.0, 1.0, 100.0),
                RowFactory.create(1.0, 1.0, 1.0)));
    List<Row> rows =
        customers
            .select(
                Scoring.pAlive(bg, col("x"), col("t_x"), col("t")),
                Scoring.expectedIfAlive(bg, col("x"), col("t"), 4),
                Scoring.expectedIfAlive(bg, col("x"), col("t"), 52))
            .collectAsList();
    assertThat(rows.get(0).getDouble(0)).isEqualTo(1.0);
    // 5,000 purchases in 100 weeks, the last today: t_x = T, so P(alive) = 1 / (1 + a / (b+x−1));
    // about 50 purchases a week while alive.
    assertThat(rows.get(1).getDouble(0)).isCloseTo(1 / (1 + 0.793 / (2.426 + 4999)), within(1e-12));
    assertThat(rows.get(1).getDouble(1)).isBetween(150.0, 250.0);
    // The same 5,000 purchases but none for 99 weeks: certainly gone, no overflow.
    assertThat(rows.get(2).getDouble(0)).isCloseTo(0.0, within(1e-12));
    for (Row r : rows) {
      assertThat(r.getDouble(2)).isGreaterThan(r.getDouble(1)).isLessThan(1e6);
    }
  }

  @Test
  void analyticGradientsEqualFiniteDifferences() {
    BgNbd bg =
        new BgNbd(
            new int[] {0, 1, 4, 30},
            new double[] {0, 3, 20, 38},
            new double[] {10, 20, 30, 39},
            new double[] {5, 3, 2, 1});
    GammaGamma gg =
        new GammaGamma(new int[] {1, 2, 7}, new double[] {12.5, 40, 9.99}, new double[] {3, 2, 1});
    double[] at4 = {Math.log(0.3), Math.log(5), Math.log(0.8), Math.log(2.5)};
    double[] at3 = {Math.log(6), Math.log(3.5), Math.log(15)};
    checkGradient(bg::meanNegativeLogLikelihood, at4);
    checkGradient(gg::meanNegativeLogLikelihood, at3);
  }

  private static void checkGradient(Bfgs.Objective f, double[] at) {
    double[] analytic = new double[at.length];
    f.valueAndGradient(at, analytic);
    for (int i = 0; i < at.length; i++) {
      double h = 1e-6;
      double[] up = at.clone();
      double[] down = at.clone();
      up[i] += h;
      down[i] -= h;
      double numeric =
          (f.valueAndGradient(up, new double[at.length])
                  - f.valueAndGradient(down, new double[at.length]))
              / (2 * h);
      assertThat(analytic[i]).as("component %d", i).isCloseTo(numeric, within(1e-7));
    }
  }

  @Test
  void spendChurnAndClvByHand() {
    // r = 1, α = 10, a = 2, b = 3 (days); p = 2, q = 3, γ = 10.
    Fit bg =
        new Fit(
            BgNbd.MODEL, BgNbd.PARAMETERS, new double[] {1, 10, 2, 3}, 0, 0, true, 1, 1, 1, 1, 0);
    Fit gg =
        new Fit(
            GammaGamma.MODEL,
            GammaGamma.PARAMETERS,
            new double[] {2, 3, 10},
            0,
            0,
            true,
            1,
            1,
            1,
            1,
            0);
    Dataset<Row> summaries =
        Fixtures.rows(
            new StructType()
                .add("customer_id", DataTypes.StringType)
                .add("x", DataTypes.IntegerType)
                .add("t_x_days", DataTypes.IntegerType)
                .add("t_cal_days", DataTypes.IntegerType)
                .add("mean_repeat_spend", DataTypes.DoubleType)
                .add("first_purchase_date", DataTypes.DateType)
                .add("last_purchase_date", DataTypes.DateType),
            List.of(RowFactory.create("A", 0, 0, 20, 0.0, null, null)));
    var s =
        Fixtures.settings(
                "predict.horizons-days=[30]",
                "predict.clv-step-days=30",
                "predict.no-purchase-days=30",
                "predict.discount-rate-annual=0.1")
            .predict();
    Row a = Scoring.score(summaries, bg, java.util.Optional.of(gg), s).first();
    // x = 0: P(alive) = 1; P(no purchase in 30 | alive) = (30 / 60)^1 = 0.5.
    assertThat((Double) a.getAs("p_alive")).isEqualTo(1.0);
    assertThat((Double) a.getAs("p_no_purchase_30d")).isCloseTo(0.5, within(1e-12));
    assertThat(a.<String>getAs("churn_risk")).isEqualTo("medium");
    // E[Y(30) | alive, x = 0] = (a+b−1)/(a−1) · [1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b−1; z)],
    // z = 30/60 = 0.5: ₂F₁(3, 1; 4; z) = 3 (−ln(1−z) − z − z²/2) / z³.
    double z = 0.5;
    double f = 3 * (-Math.log(1 - z) - z - z * z / 2) / (z * z * z);
    double expected = 4 * (1 - (1 - z) * f);
    assertThat((Double) a.getAs("expected_purchases_30d")).isCloseTo(expected, within(1e-9));
    // Gamma-Gamma with x = 0: p γ / (q − 1) = 10; CLV = E[Y(30)] · 10 · 1.1^(−30/365).
    assertThat(((java.math.BigDecimal) a.getAs("expected_avg_spend")).doubleValue())
        .isEqualTo(10.0);
    assertThat(((java.math.BigDecimal) a.getAs("clv_30d")).doubleValue())
        .isCloseTo(expected * 10 * Math.pow(1.1, -30 / 365.0), within(0.005));
    // q ≤ 1: the population's mean spend is unbounded, so no spend (null) rather than a negative.
    Fit heavy =
        new Fit(
            GammaGamma.MODEL,
            GammaGamma.PARAMETERS,
            new double[] {2, 0.5, 10},
            0,
            0,
            true,
            1,
            1,
            1,
            1,
            0);
    Row h = Scoring.score(summaries, bg, java.util.Optional.of(heavy), s).first();
    assertThat((Object) h.getAs("expected_avg_spend")).isNull();
    assertThat((Object) h.getAs("clv_30d")).isNull();
  }

  @Test
  void withoutRepeatPurchasesThereIsNoSpendModelAndTheRunSaysSo() {
    Dataset<Row> lines =
        Fixtures.invoices(
            line("i1", "A", "2024-01-02T10:00", 1, 10.0),
            line("i2", "B", "2024-01-10T10:00", 2, 10.0),
            line("i3", "C", "2024-01-20T10:00", 1, 30.0));
    PredictStage.Result r = PredictStage.run(lines, AS_OF, Fixtures.settings().predict());
    try {
      Map<String, Row> p = byCustomer(r.predictions());
      assertThat(p).containsOnlyKeys("A", "B", "C");
      for (Row c : p.values()) {
        assertThat((Double) c.getAs("p_alive")).isEqualTo(1.0);
        assertThat((Object) c.getAs("expected_avg_spend")).isNull();
        assertThat((Object) c.getAs("clv_365d")).isNull();
      }
      assertThat(r.warnings()).anyMatch(w -> w.contains("fewer than 2 customers with repeat"));
      assertThat(r.params().where("model = 'gamma_gamma'").count()).isZero();
    } finally {
      r.release().run();
    }
  }
}
